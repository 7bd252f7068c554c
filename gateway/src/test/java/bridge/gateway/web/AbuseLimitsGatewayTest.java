package bridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.GatewayApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The gateway's abuse limits with its real configuration and limits made small: per-client rate
 * limit (429 + Retry-After), body size (413, the default 256 KiB), JSON nesting depth (400), slow
 * clients (disconnected at the request read deadline), CORS for configured portal origins only,
 * and security headers on every answer. Tokens are test tokens {@code client-<subject>}; token
 * validation itself is tested in TokenAttackGatewayTest.
 */
@SpringBootTest(classes = {GatewayApplication.class, AbuseLimitsGatewayTest.TestTokens.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=gateway", "spring.main.allow-bean-definition-overriding=true",
                "bridge.gateway.limits.requests-per-second=0.2", "bridge.gateway.limits.burst=5",
                "bridge.gateway.limits.request-read-timeout=2s",
                "bridge.gateway.limits.cors-allowed-origins=https://portal.bridge.example",
                // a backend that is never reached: every request here is refused before the call
                "bridge.gateway.backends[bridge.testing.v1]=127.0.0.1:9"})
class AbuseLimitsGatewayTest {

    @TestConfiguration
    static class TestTokens {
        @Bean
        @Primary
        ReactiveJwtDecoder jwtDecoder() {
            return token -> token.startsWith("client-")
                    ? Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject(token.substring(7))
                            .claim("agency_id", "met-police").claim("agency_type", "POLICE")
                            .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build())
                    : Mono.error(new BadJwtException("bad token"));
        }
    }

    @LocalServerPort
    int port;

    private WebTestClient client(String subject) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20))
                .defaultHeader("Authorization", "Bearer client-" + subject).build();
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndOtherClientsAreUnaffected() {
        WebTestClient greedy = client("greedy-integrator");
        for (int i = 0; i < 5; i++) {
            greedy.get().uri("/v1/no-such-collection").exchange().expectStatus().isNotFound();
        }
        greedy.get().uri("/v1/no-such-collection").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value("Retry-After", v -> assertThat(Integer.parseInt(v)).isBetween(1, 5))
                .expectBody().jsonPath("$.reason").isEqualTo("RESOURCE_EXHAUSTED");
        client("patient-worker").get().uri("/v1/no-such-collection").exchange().expectStatus().isNotFound();
    }

    @Test
    void bodiesOverTheDefault256KiBAre413WhetherDeclaredOrStreamed() {
        String big = "{\"echo\":{\"text\":\"" + "x".repeat(256 * 1024) + "\"}}";
        client("big-1").post().uri("/v1/echoes").contentType(MediaType.APPLICATION_JSON).bodyValue(big)
                .exchange().expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // chunked, no Content-Length: the limit applies while reading
        client("big-2").post().uri("/v1/echoes").contentType(MediaType.APPLICATION_JSON)
                .body(reactor.core.publisher.Flux.range(0, 300).map(i -> i == 0 ? "{\"echo\":{\"text\":\""
                        : "x".repeat(1024)), String.class)
                .exchange().expectStatus().isEqualTo(413);
    }

    @Test
    void jsonNestedTooDeeplyIs400NeverA500() {
        for (int depth : new int[] {101, 5_000, 100_000}) {
            String body = "{\"echo\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            client("deep-" + depth).post().uri("/v1/echoes").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isEqualTo(400)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void headersDribbledSlowlyAreCutOffAtTheReadDeadline() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("GET /v1/no-such-collection HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    out.write(("X-Slow-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = readsEndOfStream(s.getInputStream());
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("connection closed while headers were still arriving").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aBodyDribbledSlowlyIsCutOffAtTheReadDeadline() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/echoes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer client-slow-body\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n{\"echo\":{\"text\":\"")
                    .getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    out.write("xxxx".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = readsEndOfStream(s.getInputStream());
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("connection closed while the body was still arriving").isTrue();
        }
    }

    /** Waits up to the socket timeout for the server: true when it closed the connection. */
    private static boolean readsEndOfStream(InputStream in) throws IOException {
        try {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                // a response (if any) before the close is drained
            }
            return n < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void aRequestAtNormalSpeedIsUnaffectedByTheReadDeadline() {
        client("normal").get().uri("/v1/no-such-collection").exchange().expectStatus().isNotFound();
    }

    @Test
    void portalPreflightsAreAnsweredForConfiguredOriginsOnly() {
        WebTestClient anonymous = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        anonymous.options().uri("/v1/people").header("Origin", "https://portal.bridge.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://portal.bridge.example")
                .expectHeader().value("Access-Control-Allow-Methods", m -> assertThat(m).contains("POST"))
                .expectHeader().doesNotExist("Access-Control-Allow-Credentials");
        anonymous.options().uri("/v1/people").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin");
        client("cors").get().uri("/v1/no-such-collection").header("Origin", "https://portal.bridge.example")
                .exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://portal.bridge.example")
                .expectHeader().value("Access-Control-Expose-Headers", h -> assertThat(h).contains("X-Request-Id"));
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        WebTestClient anonymous = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        for (WebTestClient.ResponseSpec r : new WebTestClient.ResponseSpec[] {
                anonymous.get().uri("/v1/no-such-collection").exchange(),
                client("headers").get().uri("/v1/no-such-collection").exchange(),
                anonymous.get().uri("/v1/openapi.json").exchange()}) {
            r.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().value("Cache-Control", c -> assertThat(c).contains("no-store"));
        }
    }
}
