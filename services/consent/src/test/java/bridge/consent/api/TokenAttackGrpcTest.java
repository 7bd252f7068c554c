package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import bridge.consent.ConsentApplication;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.support.config.SecurityProperties;
import bridge.support.config.Tokens;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.JwtForge;
import bridge.support.testing.JwtForge.Attack;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gRPC service validates tokens itself (it does not trust the gateway): the consent service with
 * the platform's real validation ({@link Tokens#decoder}, keys from a local JWK set) refuses every
 * forged token with UNAUTHENTICATED before any service code runs.
 */
@SpringBootTest(classes = {ConsentApplication.class, ServiceTestBeans.class, TokenAttackGrpcTest.RealTokens.class},
        properties = {"spring.config.name=consent", "spring.grpc.server.inprocess.name=consent-token-attacks",
                "bridge.mongodb.database=consent-token-attacks", "spring.profiles.active=demo"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAttackGrpcTest {

    static final JwtForge forge = new JwtForge("https://keycloak.test.invalid/realms/bridge");

    @TestConfiguration
    static class RealTokens {
        @Bean
        @Primary
        JwtDecoder realJwtDecoder() {
            return Tokens.decoder(new SecurityProperties(forge.issuer(), "bridge-api", forge.jwkSetUri()));
        }
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("consent-token-attacks")
            .directExecutor().build();

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        forge.close();
    }

    private Status.Code callWith(String token) {
        var stub = ConsentServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.listConsents(ListConsentsRequest.newBuilder().setParent("people/p-token-attack").build()));
        return e == null ? Status.Code.OK : e.getStatus().getCode();
    }

    @Test
    void aGoodTokenReachesTheService() {
        assertThat(callWith(forge.good())).isNotEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void everyForgeryIsUnauthenticated(Attack attack) {
        assertThat(callWith(attack.token(forge))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
}
