package bridge.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The front door: validates every caller's Keycloak token and turns REST+JSON into gRPC calls,
 * derived from the contracts' google.api.http annotations (no controller per endpoint).
 */
@SpringBootApplication
public class GatewayApplication {

    public static final String NAME = "gateway";

    public static void main(String[] args) {
        run(args);
    }

    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(GatewayApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", NAME));
        return app.run(args);
    }
}
