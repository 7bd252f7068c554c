package bridge.gateway.config;

import bridge.gateway.GatewayApplication;
import bridge.support.testing.JwtForge;
import bridge.support.testing.JwtForge.Attack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway's own token validation ({@link SecurityConfiguration}, not a test decoder) against a
 * local issuer publishing its keys as a JWK set: a good token gets past the front door (404 for a
 * path no contract serves), every forgery gets 401 problem+json with {@code WWW-Authenticate}.
 * The same attacks run against real Keycloak in e2e's TokenAttackTest.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=gateway")
class TokenAttackGatewayTest {

    static final JwtForge forge = new JwtForge("https://keycloak.test.invalid/realms/bridge");

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("bridge.gateway.issuer", forge::issuer);
        registry.add("bridge.gateway.jwk-set-uri", forge::jwkSetUri);
    }

    @AfterAll
    static void close() {
        forge.close();
    }

    @LocalServerPort
    int port;

    private WebTestClient.ResponseSpec call(String token) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/v1/no-such-collection").header("Authorization", "Bearer " + token).exchange();
    }

    @Test
    void aGoodTokenGetsThrough() {
        call(forge.good()).expectStatus().isNotFound();
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void everyForgeryIs401ProblemJson(Attack attack) {
        call(attack.token(forge))
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .expectBody().jsonPath("$.reason").isEqualTo("UNAUTHENTICATED")
                .jsonPath("$.requestId").exists();
    }
}
