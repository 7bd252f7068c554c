package bridge.people;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The people directory: persons, their identifiers from many systems, and their care team. */
@SpringBootApplication
public class PeopleDirectoryApplication {

    public static final String NAME = "people-directory";

    public static void main(String[] args) {
        run(args);
    }

    /** Own config file name, so that several services can share one JVM in the local run. */
    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(PeopleDirectoryApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", NAME));
        return app.run(args);
    }
}
