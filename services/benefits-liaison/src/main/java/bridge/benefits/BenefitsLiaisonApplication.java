package bridge.benefits;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Benefits liaison: claims prepared before release so payment does not wait weeks (DWP delivery comes later). */
@SpringBootApplication
public class BenefitsLiaisonApplication {

    public static final String NAME = "benefits-liaison";

    public static void main(String[] args) {
        run(args);
    }

    /** Own config file name, so that several services can share one JVM in the local run. */
    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(BenefitsLiaisonApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", NAME));
        return app.run(args);
    }
}
