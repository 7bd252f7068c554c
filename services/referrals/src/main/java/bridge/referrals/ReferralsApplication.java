package bridge.referrals;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Referrals: one agency asks another to take the person on (states follow FHIR Task). */
@SpringBootApplication
public class ReferralsApplication {

    public static final String NAME = "referrals";

    public static void main(String[] args) {
        run(args);
    }

    /** Own config file name, so that several services can share one JVM in the local run. */
    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(ReferralsApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", NAME));
        return app.run(args);
    }
}
