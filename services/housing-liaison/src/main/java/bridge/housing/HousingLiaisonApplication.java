package bridge.housing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Housing liaison: the person's housing situation over time (release plans and duty to refer come later). */
@SpringBootApplication
public class HousingLiaisonApplication {

    public static final String NAME = "housing-liaison";

    public static void main(String[] args) {
        run(args);
    }

    /** Own config file name, so that several services can share one JVM in the local run. */
    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(HousingLiaisonApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", NAME));
        return app.run(args);
    }
}
