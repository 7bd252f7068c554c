package bridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.GatewayApplication;
import bridge.proto.testing.v1.FailRequest;
import bridge.proto.testing.v1.FailResponse;
import bridge.proto.testing.v1.FaultServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpMethod;
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
 * Scans the error bodies of many kinds of failure — refused tokens, unknown paths and methods, bad
 * JSON, too deep, too large, bad percent-encoding, every gRPC status from a backend whose messages
 * leak class names, stack frames and internal hosts, a backend that throws, a backend too slow — for
 * anything internal: no stack trace, no exception or class name, no internal host or address. Every
 * error with a body is problem+json with a request id.
 */
@SpringBootTest(classes = {GatewayApplication.class, ErrorBodiesGatewayTest.TestTokens.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=gateway", "spring.main.allow-bean-definition-overriding=true",
                "bridge.gateway.deadline=2s", "bridge.gateway.max-body-size=4096"})
class ErrorBodiesGatewayTest {

    static final String LEAKY = "java.lang.IllegalStateException: boom at mongo-0.mongo.bridge.svc.cluster.local:27017"
            + " (10.42.0.17)\n\tat bridge.consent.persistence.MongoConsents.save(MongoConsents.java:42)";
    static final Server backend = startBackend();

    @TestConfiguration
    static class TestTokens {
        @Bean
        @Primary
        ReactiveJwtDecoder jwtDecoder() {
            return token -> token.equals("good-token")
                    ? Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("u")
                            .claim("agency_id", "met-police").claim("agency_type", "POLICE")
                            .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build())
                    : Mono.error(new BadJwtException("bad token from " + LEAKY));
        }
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("bridge.gateway.backends[bridge.testing.v1]", () -> "127.0.0.1:" + backend.getPort());
    }

    @AfterAll
    static void stop() {
        backend.shutdownNow();
    }

    @LocalServerPort
    int port;

    private WebTestClient client(String token) {
        WebTestClient.Builder b = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20));
        return token == null ? b.build() : b.defaultHeader("Authorization", "Bearer " + token).build();
    }

    private EntityExchangeResult<byte[]> post(String path, String json) {
        return client("good-token").post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectBody().returnResult();
    }

    @Test
    void noErrorBodyLeaksAnythingInternal() throws IOException {
        List<EntityExchangeResult<byte[]>> results = new ArrayList<>();
        results.add(client(null).get().uri("/v1/echoes/x").exchange().expectBody().returnResult());
        results.add(client("forged").get().uri("/v1/echoes/x").exchange().expectBody().returnResult());
        results.add(client("good-token").get().uri("/v1/nothing-here").exchange().expectBody().returnResult());
        results.add(client("good-token").get().uri("/not-the-api").exchange().expectBody().returnResult());
        results.add(client("good-token").method(HttpMethod.DELETE).uri("/v1/faults:fail").exchange().expectBody().returnResult());
        results.add(client("good-token").get().uri(java.net.URI.create("http://127.0.0.1:" + port + "/v1/echoes/%C0%AF%FF")).exchange().expectBody().returnResult());
        results.add(post("/v1/faults:fail", "{\"code\":"));
        results.add(post("/v1/faults:fail", "{\"nope\":1}"));
        results.add(post("/v1/faults:fail", "{\"code\":\"abc\"}"));
        results.add(post("/v1/faults:fail", "[".repeat(3000)));
        results.add(post("/v1/faults:fail", "{\"text\":\"" + "x".repeat(5000) + "\"}"));
        results.add(post("/v1/faults:fail", "{\"delayMillis\":4000}"));
        for (Status.Code code : Status.Code.values()) {
            if (code != Status.Code.OK) {
                results.add(post("/v1/faults:fail", "{\"code\":" + code.value() + ",\"message\":\""
                        + LEAKY.replace("\n", "\\n").replace("\t", "\\t") + "\",\"field\":\"text\"}"));
            }
        }
        results.add(post("/v1/faults:fail", "{\"text\":\"throw\"}"));

        String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        for (EntityExchangeResult<byte[]> r : results) {
            String body = new String(r.getResponseBodyContent() == null ? new byte[0] : r.getResponseBodyContent(),
                    StandardCharsets.UTF_8);
            String what = r.getMethod() + " " + r.getUrl().getRawPath() + " -> " + r.getStatus() + " " + body;
            assertThat(r.getStatus().value()).as(what).isBetween(400, 599);
            assertThat(r.getResponseHeaders().getContentType()).as(what).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(body).as(what).contains("\"requestId\"")
                    .doesNotContain("Exception", "\tat ", ".java", "svc.cluster", "10.42.", "27017", "mongo-0",
                            "127.0.0.1", "org.springframework", "io.grpc", "bridge.consent", "\"trace\"");
            if (host.length() > 3 && !host.equals("localhost")) {
                assertThat(body.toLowerCase(Locale.ROOT)).as(what).doesNotContain(host);
            }
        }
        assertThat(results).hasSizeGreaterThan(25);
        assertThat(rawStatusOf(("GET /v1/echoes/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n")))
                .as("oversized headers are refused by the server, with no internals").matches("HTTP/1\\.1 4\\d\\d.*");
    }

    /** The status line of a raw request's answer, after checking the whole answer leaks nothing. */
    private String rawStatusOf(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
            assertThat(answer).doesNotContain("Exception", "\tat ", ".java");
            return answer.lines().findFirst().orElse("");
        } catch (java.net.SocketTimeoutException e) {
            return "timeout";
        }
    }

    private static Server startBackend() {
        var faults = new FaultServiceGrpc.FaultServiceImplBase() {
            @Override
            public void fail(FailRequest request, StreamObserver<FailResponse> response) {
                if (request.getDelayMillis() > 0) {
                    try {
                        Thread.sleep(request.getDelayMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (request.getText().equals("throw")) {
                    throw new IllegalStateException(LEAKY);
                }
                if (request.getCode() != 0) {
                    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(request.getCode())
                            .setMessage(request.getMessage());
                    s.addDetails(com.google.protobuf.Any.pack(com.google.rpc.BadRequest.newBuilder()
                            .addFieldViolations(com.google.rpc.BadRequest.FieldViolation.newBuilder()
                                    .setField(request.getField()).setDescription(request.getMessage())).build()));
                    response.onError(io.grpc.protobuf.StatusProto.toStatusRuntimeException(s.build()));
                    return;
                }
                response.onNext(FailResponse.newBuilder().setText(request.getText()).build());
                response.onCompleted();
            }
        };
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(faults).build().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
