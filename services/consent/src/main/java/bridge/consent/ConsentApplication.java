package bridge.consent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Consented information sharing: the person's consents (decisions and audit come later). */
@SpringBootApplication
public class ConsentApplication {

    public static final String NAME = "consent";

    public static void main(String[] args) {
        run(args);
    }

    /** Own config file name, so that several services can share one JVM in the local run. */
    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(ConsentApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", NAME));
        return app.run(args);
    }
}
