package bridge.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.testing.JwtForge;
import bridge.support.testing.JwtForge.Attack;
import bridge.support.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** The cache of validated tokens: a signature check once per token, never a pass for an expired or forged one. */
class ValidatedTokenCacheTest {

    static final JwtForge forge = new JwtForge("https://keycloak.test.invalid/realms/bridge");
    final MutableClock clock = new MutableClock(Instant.now());
    final SecurityProperties props = new SecurityProperties(forge.issuer(), "bridge-api", forge.jwkSetUri());

    @AfterAll
    static void close() {
        forge.close();
    }

    /** A decoder whose full validations are counted. */
    record Counted(ValidatedTokenCache cache, AtomicInteger full) {
    }

    Counted counted(int capacity) {
        JwtDecoder real = Tokens.decoder(new SecurityProperties(forge.issuer(), "bridge-api", forge.jwkSetUri(),
                null, null, 0), clock);
        AtomicInteger full = new AtomicInteger();
        JwtDecoder counting = token -> {
            full.incrementAndGet();
            return real.decode(token);
        };
        return new Counted(new ValidatedTokenCache(counting, Tokens.times(clock), capacity, clock), full);
    }

    @Test
    void theSameTokenIsValidatedInFullOnce() {
        Counted d = counted(100);
        String token = forge.good();
        for (int i = 0; i < 10; i++) {
            assertThat(d.cache().decode(token).getSubject()).isEqualTo("forged-subject");
        }
        assertThat(d.full()).hasValue(1);
    }

    @Test
    void aCachedTokenPastItsExpiryIsRefused() {
        Counted d = counted(100);
        String token = forge.with(c -> c.expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5)))));
        d.cache().decode(token);
        d.cache().decode(token);
        assertThat(d.full()).hasValue(1);

        clock.advance(Duration.ofMinutes(5).plusSeconds(61)); // past exp and the 60 s clock skew
        assertThatThrownBy(() -> d.cache().decode(token)).isInstanceOf(JwtException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> d.cache().decode(token)).isInstanceOf(JwtException.class);
        assertThat(d.cache().size()).isZero();
    }

    @Test
    void refusalsAreNeverRemembered() {
        Counted d = counted(100);
        for (Attack attack : Attack.values()) {
            String token = attack.token(forge);
            assertThatThrownBy(() -> d.cache().decode(token)).isInstanceOf(JwtException.class);
            assertThatThrownBy(() -> d.cache().decode(token)).isInstanceOf(JwtException.class);
        }
        assertThat(d.cache().size()).isZero();
        assertThat(d.full()).hasValue(2 * Attack.values().length);
    }

    @Test
    void aForgeryOfACachedTokenIsNotServedFromTheCache() {
        Counted d = counted(100);
        String good = forge.good();
        d.cache().decode(good);
        assertThatThrownBy(() -> d.cache().decode(JwtForge.tamperSignature(good))).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> d.cache().decode(JwtForge.tamperPayload(good))).isInstanceOf(JwtException.class);
    }

    @Test
    void boundedExpiredEntriesMakeRoomAndAFullCacheStillValidates() {
        Counted d = counted(3);
        for (int i = 0; i < 3; i++) {
            String subject = "worker-" + i;
            d.cache().decode(forge.with(c -> c.subject(subject)
                    .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(1))))));
        }
        assertThat(d.cache().size()).isEqualTo(3);
        String fourth = forge.with(c -> c.subject("worker-3"));
        Jwt jwt = d.cache().decode(fourth);
        assertThat(jwt.getSubject()).isEqualTo("worker-3");
        assertThat(d.cache().size()).isEqualTo(3); // full, nothing expired: not remembered, still valid
        clock.advance(Duration.ofMinutes(2));
        d.cache().decode(fourth);
        assertThat(d.cache().size()).isEqualTo(1); // the expired three were swept for it
    }
}
