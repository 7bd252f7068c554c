package bridge.support.config;

import bridge.tokens.SigningKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    }, Duration.ofMinutes(5), Duration.ofSeconds(30), clock, Runnable::run); // the due refresh runs in place

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
    void aDueRefreshAgainstAFrozenProviderHoldsNoRequest() throws Exception {
        CountDownLatch fetchStarted = new CountDownLatch(1);
        CountDownLatch providerAnswers = new CountDownLatch(1);
        AtomicInteger frozenFetches = new AtomicInteger();
        SigningKeys frozen = new SigningKeys(() -> {
            if (frozenFetches.incrementAndGet() > 1) {
                fetchStarted.countDown();
                try {
                    providerAnswers.await(); // the provider accepted the connection and does not answer
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return published.get();
        }, Duration.ofMinutes(5), Duration.ofSeconds(30), clock);
        assertThat(frozen.get(kid("first"), null)).hasSize(1);
        clock.advance(Duration.ofMinutes(6));
        try {
            // the request that finds the refresh due, and every one after it, goes on with the keys held
            // (a guard against hanging, not a speed check: before, this request waited for the frozen provider)
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(frozen.get(kid("first"), null)).hasSize(1));
            assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).as("the refresh runs beside the requests").isTrue();
            for (int i = 0; i < 100; i++) {
                assertThat(frozen.get(kid("first"), null)).hasSize(1);
            }
            assertThat(frozenFetches).as("one refresh at a time").hasValue(2);
        } finally {
            providerAnswers.countDown();
        }
    }

    @Test
    void keysFetchedAtStartUpCarryAProcessThatHasSeenNoTokenThroughAnOutage() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Boolean> up = new AtomicReference<>(false);
        SigningKeys prefetched = new SigningKeys(() -> {
            attempts.incrementAndGet();
            if (!up.get()) {
                throw new IOException("connection refused"); // the provider is still starting
            }
            return published.get();
        }, Duration.ofMinutes(5), Duration.ofSeconds(2), clock, Runnable::run);
        prefetched.prefetch();
        Thread.sleep(1500);
        up.set(true); // the provider came up after the process did
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!prefetched.isFetched()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("keys not prefetched; attempts " + attempts.get());
            }
            Thread.sleep(50);
        }
        assertThat(attempts.get()).as("tried again after the failure").isGreaterThanOrEqualTo(2);
        int asked = attempts.get();
        up.set(false); // and went down before this process's first request
        assertThat(prefetched.get(kid("first"), null)).hasSize(1);
        assertThat(attempts.get()).as("the request did not need the provider").isEqualTo(asked);
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
