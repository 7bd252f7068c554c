package bridge.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.GatewayApplication;
import bridge.support.testing.JwtForge;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Drill: the identity provider goes down while the gateway runs. Tokens signed with a key the gateway
 * has already fetched keep validating from its cached JWK set; a token signed with a key it has not
 * seen (say, after a rotation during the outage) cannot be checked: 503 problem+json with Retry-After,
 * promptly — never a 500 or a hang (this drill found the 500). (Logging in needs Keycloak itself, so new logins fail at Keycloak, not here.)
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=gateway")
class KeycloakDownDrillTest {

    static final JwtForge keycloak = new JwtForge("https://keycloak.test.invalid/realms/bridge");

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("bridge.gateway.issuer", keycloak::issuer);
        registry.add("bridge.gateway.jwk-set-uri", keycloak::jwkSetUri);
    }

    @LocalServerPort
    int port;

    private WebTestClient.ResponseSpec call(String token) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30))
                .build().get().uri("/v1/no-such-collection").header("Authorization", "Bearer " + token).exchange();
    }

    @Test
    void cachedKeysKeepValidatingAndUnknownKeysAreRefusedClearly() {
        String before = keycloak.good();
        call(before).expectStatus().isNotFound();

        keycloak.close();

        call(before).expectStatus().isNotFound();
        call(keycloak.with(c -> c.subject("another-worker"))).expectStatus().isNotFound();
        long start = System.nanoTime();
        call(JwtForge.sign(JwtForge.newKey("rotated-during-outage"), keycloak.goodClaims().build()))
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.reason").isEqualTo("IDENTITY_PROVIDER_UNAVAILABLE");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
