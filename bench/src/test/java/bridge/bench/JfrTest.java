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
}
