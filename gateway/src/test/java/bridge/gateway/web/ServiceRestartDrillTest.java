package bridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.GatewayApplication;
import bridge.proto.testing.v1.CreateEchoRequest;
import bridge.proto.testing.v1.Echo;
import bridge.proto.testing.v1.EchoServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * Drill: a service goes away while the gateway keeps taking requests, then comes back on the same
 * address. Meanwhile every answer is 503 problem+json (never a 500, never a hang); after the restart
 * the gateway recovers on its own (pooled channel reconnects, breaker closes) within seconds.
 */
@SpringBootTest(classes = {GatewayApplication.class, ServiceRestartDrillTest.TestTokens.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=gateway", "spring.main.allow-bean-definition-overriding=true",
                "bridge.gateway.limits.requests-per-second=0"})
class ServiceRestartDrillTest {

    static final int BACKEND_PORT = freePort();
    static Server backend = start();

    @TestConfiguration
    static class TestTokens {
        @Bean
        @Primary
        ReactiveJwtDecoder jwtDecoder() {
            return token -> token.equals("good-token")
                    ? Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("u")
                            .claim("agency_id", "met-police").claim("agency_type", "POLICE")
                            .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build())
                    : Mono.error(new BadJwtException("bad token"));
        }
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("bridge.gateway.backends[bridge.testing.v1]", () -> "127.0.0.1:" + BACKEND_PORT);
    }

    @AfterAll
    static void stop() {
        backend.shutdownNow();
    }

    @LocalServerPort
    int port;

    private EntityExchangeResult<byte[]> echo() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(15))
                .defaultHeader("Authorization", "Bearer good-token").build()
                .post().uri("/v1/echoes").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"echo\":{\"text\":\"hi\"}}")
                .exchange().expectBody().returnResult();
    }

    @Test
    void theGatewayAnswers503WhileTheServiceIsDownAndRecoversWhenItIsBack() throws Exception {
        assertThat(echo().getStatus().value()).isEqualTo(200);

        backend.shutdownNow().awaitTermination();
        Map<Integer, Integer> during = new TreeMap<>();
        List<Duration> latencies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t = System.nanoTime();
            EntityExchangeResult<byte[]> r = echo();
            latencies.add(Duration.ofNanos(System.nanoTime() - t));
            during.merge(r.getStatus().value(), 1, Integer::sum);
            assertThat(r.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
        assertThat(during).containsOnlyKeys(503);
        assertThat(latencies).allSatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(6)));

        backend = start();
        long restarted = System.nanoTime();
        int status = 0;
        while (status != 200 && System.nanoTime() - restarted < Duration.ofSeconds(30).toNanos()) {
            status = echo().getStatus().value();
            assertThat(status).isIn(200, 503);
            if (status != 200) {
                Thread.sleep(250);
            }
        }
        assertThat(status).as("recovered within 30 s of the restart").isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(echo().getStatus().value()).isEqualTo(200);
        }
    }

    private static Server start() {
        var echo = new EchoServiceGrpc.EchoServiceImplBase() {
            @Override
            public void createEcho(CreateEchoRequest request, StreamObserver<Echo> response) {
                response.onNext(Echo.newBuilder().setText(request.getEcho().getText()).build());
                response.onCompleted();
            }
        };
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", BACKEND_PORT)).addService(echo)
                    .build().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
