package bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JfrTest {

    @Test
    void aSampleCountsInEveryPartItsStackPassesThrough() {
        String printed = """
                jdk.ExecutionSample {
                  startTime = 07:05:01.123 (2026-11-23)
                  sampledThread = "reactor-http-epoll-1" (javaThreadId = 55)
                  state = "STATE_RUNNABLE"
                  stackTrace = [
                    com.nimbusds.jose.crypto.RSASSAVerifier.verify(JWSHeader, byte[], Base64URL) line: 300
                    org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder.decode(String) line: 12
                    reactor.netty.http.server.HttpServerOperations.onInboundNext(ChannelHandlerContext, Object) line: 1
                  ]
                }

                jdk.ExecutionSample {
                  startTime = 07:05:01.133 (2026-11-23)
                  stackTrace = [
                    de.bwaldvogel.mongo.bson.BsonEncoder.encode(Object) line: 5
                    ...
                  ]
                }
                """;
        Map<String, Double> areas = Jfr.areas(printed);
        assertThat(areas.get("samples")).isEqualTo(2.0);
        assertThat(areas.get("JWT signature/claims (Nimbus)")).isEqualTo(0.5);
        assertThat(areas.get("Spring Security (gateway and services)")).isEqualTo(0.5);
        assertThat(areas.get("gateway HTTP edge (Reactor Netty, WebFlux, Spring Cloud Gateway)")).isEqualTo(0.5);
        assertThat(areas.get("embedded Mongo server (mongo-java-server, in this JVM)")).isEqualTo(0.5);
        assertThat(areas.get("gRPC (io.grpc)")).isEqualTo(0.0);
    }

    @Test
    void selfSharesChargeEachSampleOnceToItsInnermostFrameOutsideTheJdk() {
        String printed = """
                jdk.ExecutionSample {
                  stackTrace = [
                    java.util.HashMap.getNode(Object) line: 1
                    io.micrometer.core.instrument.MeterRegistry.getOrCreateMeter(Object) line: 2
                    io.grpc.ServerInterceptors$InterceptCallHandler.startCall(ServerCall, Metadata) line: 3
                  ]
                }

                jdk.ExecutionSample {
                  stackTrace = [
                    com.nimbusds.jose.crypto.RSASSAVerifier.verify(JWSHeader, byte[], Base64URL) line: 300
                    io.micrometer.observation.Observation.observe(Supplier) line: 4
                  ]
                }

                jdk.ExecutionSample {
                  stackTrace = [
                    java.lang.Thread.run() line: 1
                  ]
                }
                """;
        Map<String, Double> self = Jfr.selfAreas(printed);
        assertThat(self.get("Micrometer (metrics, observations)")).isEqualTo(1 / 3.0);
        assertThat(self.get("JWT signature/claims (Nimbus)")).isEqualTo(1 / 3.0);
        assertThat(self.get("gRPC (io.grpc)")).isEqualTo(0.0);
        assertThat(self.get(Jfr.OTHER)).isEqualTo(1 / 3.0);
        // inclusive: the observation wrapping the signature check "contains" it
        assertThat(Jfr.areas(printed).get("Micrometer (metrics, observations)")).isEqualTo(2 / 3.0);
    }
}
