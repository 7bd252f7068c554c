package bridge.support.config;

import bridge.tokens.SigningKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.testing.JwtForge;
import bridge.support.time.MutableClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The signing-key cache: refresh, outage tolerance, and refetches for unknown key ids limited. */
class SigningKeysTest {

    static final RSAKey FIRST = JwtForge.newKey("first");
    static final RSAKey ROTATED = JwtForge.newKey("rotated");

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(FIRST.toPublicJWK()));
    volatile boolean providerDown;
    final SigningKeys keys = new SigningKeys(() -> {
        fetches.incrementAndGet();
        if (providerDown) {
            throw new IOException("connection refused");
        }
        return published.get();
    }, Duration.ofMinutes(5), Duration.ofSeconds(30), clock);

    static JWKSelector kid(String kid) {
        return new JWKSelector(JWKMatcher.forJWSHeader(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build()));
    }

    @Test
    void fetchedOnceThenServedFromMemoryUntilTheRefreshIsDue() throws Exception {
        assertThat(keys.get(kid("first"), null)).hasSize(1);
        assertThat(keys.get(kid("first"), null)).hasSize(1);
        assertThat(fetches).hasValue(1);
        clock.advance(Duration.ofMinutes(6));
        assertThat(keys.get(kid("first"), null)).hasSize(1);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void anOutageLongerThanTheRefreshIntervalKeepsTheKeysAlreadyHeld() throws Exception {
        assertThat(keys.get(kid("first"), null)).hasSize(1);
        providerDown = true;
        clock.advance(Duration.ofHours(3));
        assertThat(keys.get(kid("first"), null)).hasSize(1);
        // and it does not ask the unreachable provider again on every request
        int asked = fetches.get();
        for (int i = 0; i < 100; i++) {
            assertThat(keys.get(kid("first"), null)).hasSize(1);
        }
        assertThat(fetches.get()).isEqualTo(asked);
        clock.advance(Duration.ofSeconds(31));
        keys.get(kid("first"), null);
        assertThat(fetches.get()).isEqualTo(asked + 1);
    }

    @Test
    void noKeysEverFetchedIsAKeySourceFailureNotAnEmptyAnswer() throws Exception {
        providerDown = true;
        assertThatThrownBy(() -> keys.get(kid("first"), null)).isInstanceOf(KeySourceException.class);
        // requests right after the failure fail at once instead of each waiting for another attempt
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> keys.get(kid("first"), null)).isInstanceOf(KeySourceException.class);
        }
        assertThat(fetches).hasValue(1);
        providerDown = false;
        clock.advance(SigningKeys.FIRST_FETCH_RETRY.plusMillis(1));
        assertThat(keys.get(kid("first"), null)).hasSize(1);
    }

    @Test
    void unknownKeyIdsRefetchAtMostOncePerGap() throws Exception {
        keys.get(kid("first"), null);
        for (int i = 0; i < 1000; i++) {
            assertThat(keys.get(kid("forged-" + i), null)).isEmpty();
        }
        assertThat(fetches).hasValue(2);
        clock.advance(Duration.ofSeconds(31));
        assertThat(keys.get(kid("forged-again"), null)).isEmpty();
        assertThat(fetches).hasValue(3);
    }

    @Test
    void aRotatedKeyIsFoundByTheRefetchItsFirstTokenCauses() throws Exception {
        keys.get(kid("first"), null);
        clock.advance(Duration.ofSeconds(31));
        published.set(new JWKSet(java.util.List.of(FIRST.toPublicJWK(), ROTATED.toPublicJWK())));
        assertThat(keys.get(kid("rotated"), null)).hasSize(1);
        assertThat(keys.get(kid("first"), null)).hasSize(1);
    }

    @Test
    void anUnknownKeyWhileTheProviderIsDownCannotBeCheckedRatherThanBeingForged() throws Exception {
        keys.get(kid("first"), null);
        providerDown = true;
        assertThatThrownBy(() -> keys.get(kid("rotated"), null)).isInstanceOf(KeySourceException.class);
        assertThatThrownBy(() -> keys.get(kid("rotated"), null)).isInstanceOf(KeySourceException.class);
        assertThat(keys.get(kid("first"), null)).hasSize(1);
        providerDown = false;
        published.set(new JWKSet(java.util.List.of(FIRST.toPublicJWK(), ROTATED.toPublicJWK())));
        clock.advance(Duration.ofSeconds(31));
        assertThat(keys.get(kid("rotated"), null)).hasSize(1);
    }
}
