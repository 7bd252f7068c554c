package bridge.gateway.config;

import bridge.tokens.SigningKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.testing.JwtForge;
import bridge.support.testing.JwtForge.Attack;
import bridge.support.time.MutableClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The gateway's decoder beyond the attack list (TokenAttackGatewayTest): a remembered token is refused
 * once it expires, refusals are never remembered, and unknown key ids cannot make the gateway hammer
 * the identity provider, whose outage does not make it forget the keys it holds.
 */
class GatewayTokenValidationTest {

    static final JwtForge forge = new JwtForge("https://keycloak.test.invalid/realms/bridge");
    final MutableClock clock = new MutableClock(Instant.now());

    @AfterAll
    static void close() {
        forge.close();
    }

    static GatewayProperties props() {
        return new GatewayProperties(Map.of(), null, null, forge.issuer(), "bridge-api", forge.jwkSetUri(), false,
                null, null, null);
    }

    @Test
    void aRememberedTokenPastItsExpiryIsRefused() {
        ReactiveJwtDecoder decoder = SecurityConfiguration.decoder(props(), clock);
        String token = forge.with(c -> c.expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5)))));
        assertThat(decoder.decode(token).block().getSubject()).isEqualTo("forged-subject");
        assertThat(((ValidatedTokens) decoder).size()).isEqualTo(1);
        assertThat(decoder.decode(token).block().getSubject()).isEqualTo("forged-subject");

        clock.advance(Duration.ofMinutes(5).plusSeconds(61));
        assertThatThrownBy(() -> decoder.decode(token).block()).isInstanceOf(JwtException.class)
                .hasMessageContaining("expired");
        assertThat(((ValidatedTokens) decoder).size()).isZero();
    }

    @Test
    void refusalsAreNeverRemembered() {
        ReactiveJwtDecoder decoder = SecurityConfiguration.decoder(props(), clock);
        for (Attack attack : Attack.values()) {
            String token = attack.token(forge);
            assertThatThrownBy(() -> decoder.decode(token).block()).isInstanceOf(JwtException.class);
            assertThatThrownBy(() -> decoder.decode(token).block()).isInstanceOf(JwtException.class);
        }
        assertThat(((ValidatedTokens) decoder).size()).isZero();
    }

    static JWKSelector kid(String kid) {
        return new JWKSelector(JWKMatcher.forJWSHeader(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build()));
    }

    @Test
    void forgedKeyIdsRefetchAtMostOncePerGapAndAnOutageKeepsTheKeys() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        boolean[] down = {false};
        SigningKeys keys = new SigningKeys(() -> {
            fetches.incrementAndGet();
            if (down[0]) {
                throw new IOException("connection refused");
            }
            return new JWKSet(forge.key().toPublicJWK());
        }, Duration.ofMinutes(5), Duration.ofSeconds(30), clock);
        assertThat(keys.get(kid("forge-key"), null)).hasSize(1);
        for (int i = 0; i < 500; i++) {
            assertThat(keys.get(kid("forged-" + i), null)).isEmpty();
        }
        assertThat(fetches).hasValue(2);

        down[0] = true;
        clock.advance(Duration.ofHours(4));
        assertThat(keys.get(kid("forge-key"), null)).hasSize(1);
    }
}
