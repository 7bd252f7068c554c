package bridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.GatewayApplication;
import bridge.proto.testing.v1.Echo;
import bridge.proto.testing.v1.CreateEchoRequest;
import bridge.proto.testing.v1.EchoServiceGrpc;
import bridge.proto.testing.v1.FailRequest;
import bridge.proto.testing.v1.FailResponse;
import bridge.proto.testing.v1.FaultServiceGrpc;
import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The gateway against real gRPC servers of test-only contracts (echo.proto, faults.proto) that the
 * gateway has no code for: routes, transcoding, token passing, status→problem mapping, limits.
 * Token validation is replaced here by a fixed decoder; the end-to-end suite uses real Keycloak.
 */
@SpringBootTest(classes = {GatewayApplication.class, GatewayTranscodingTest.TestTokens.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=gateway", "spring.main.allow-bean-definition-overriding=true",
                "bridge.gateway.deadline=2s", "bridge.gateway.max-body-size=4096"})
class GatewayTranscodingTest {

    static final Metadata.Key<String> AUTH = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<Map<String, String>> SEEN = Context.key("seen");
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
                    : Mono.error(new BadJwtException("bad token"));
        }
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("bridge.gateway.backends[bridge.testing.v1]", () -> "127.0.0.1:" + backend.getPort());
    }

    @LocalServerPort
    int port;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @AfterAll
    static void stop() {
        backend.shutdownNow();
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", "Bearer good-token").build();
    }

    @Test
    void aNewlyAnnotatedRpcIsReachableWithNoGatewayCode() {
        client().post().uri("/v1/echoes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"echo\":{\"text\":\"hello\"}}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().exists("X-Request-Id")
                .expectBody().jsonPath("$.text").isEqualTo("hello");
    }

    @Test
    void theCallersTokenAndRequestIdTravelInMetadata() {
        client().post().uri("/v1/faults:fail").header("X-Request-Id", "rid-42").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"x\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.authorization").isEqualTo("Bearer good-token")
                .jsonPath("$.requestId").isEqualTo("rid-42");
    }

    @ParameterizedTest(name = "gRPC {0} -> HTTP {1}")
    @CsvSource({"3,400", "16,401", "7,403", "5,404", "6,409", "9,409", "10,409", "8,429", "12,501", "14,503", "13,500", "2,500"})
    void grpcStatusesBecomeProblemJson(int code, int http) {
        client().post().uri("/v1/faults:fail").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"code\":" + code + ",\"message\":\"boom at db-0.internal\",\"field\":\"person.name\"}")
                .exchange()
                .expectStatus().isEqualTo(http)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(http)
                .jsonPath("$.requestId").exists()
                .jsonPath("$.errors[0].field").isEqualTo("person.name")
                .jsonPath("$.detail").value(d -> {
                    if (http >= 500) {
                        assertThat((String) d).doesNotContain("db-0.internal");
                    }
                });
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIs504() {
        client().post().uri("/v1/faults:fail").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"delayMillis\":4000}")
                .exchange()
                .expectStatus().isEqualTo(504)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void malformedJsonUnknownFieldsAndWrongTypesAre400NamingTheField() {
        client().post().uri("/v1/faults:fail").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"code\":")
                .exchange().expectStatus().isEqualTo(400)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client().post().uri("/v1/faults:fail").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"nope\":1}")
                .exchange().expectStatus().isEqualTo(400)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("nope");
        client().post().uri("/v1/faults:fail").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"code\":\"abc\"}")
                .exchange().expectStatus().isEqualTo(400)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("code");
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405() {
        client().get().uri("/v1/nothing-here").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client().get().uri("/v1/faults:fail").exchange().expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void oversizedBodiesAre413() {
        client().post().uri("/v1/faults:fail").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"" + "x".repeat(5000) + "\"}")
                .exchange().expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void withoutAValidTokenTheAnswerIs401() {
        WebTestClient anonymous = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        anonymous.get().uri("/v1/echoes/abc").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("X-Request-Id");
        anonymous.get().uri("/v1/echoes/abc").header("Authorization", "Bearer forged").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void theOpenApiDocumentCoversTheTestContractsToo() {
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/v1/openapi.json").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/v1/echoes']").exists();
    }

    private static Server startBackend() {
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                    io.grpc.ServerCallHandler<Q, R> next) {
                Map<String, String> seen = Map.of("authorization", String.valueOf(headers.get(AUTH)),
                        "requestId", String.valueOf(headers.get(RID)));
                return Contexts.interceptCall(Context.current().withValue(SEEN, seen), call, headers, next);
            }
        };
        var echo = new EchoServiceGrpc.EchoServiceImplBase() {
            @Override
            public void createEcho(CreateEchoRequest request, StreamObserver<Echo> response) {
                response.onNext(Echo.newBuilder().setText(request.getEcho().getText()).build());
                response.onCompleted();
            }
        };
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
                if (request.getCode() != 0) {
                    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(request.getCode())
                            .setMessage(request.getMessage())
                            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("TEST_" + request.getCode())
                                    .setDomain("bridge.platform").build()));
                    if (!request.getField().isEmpty()) {
                        s.addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation
                                .newBuilder().setField(request.getField()).setDescription("is wrong")).build()));
                    }
                    response.onError(StatusProto.toStatusRuntimeException(s.build()));
                    return;
                }
                Map<String, String> seen = SEEN.get();
                response.onNext(FailResponse.newBuilder().setText(request.getText())
                        .setAuthorization(seen.get("authorization")).setRequestId(seen.get("requestId")).build());
                response.onCompleted();
            }
        };
        try {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(echo, capture))
                    .addService(ServerInterceptors.intercept(faults, capture))
                    .build().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
