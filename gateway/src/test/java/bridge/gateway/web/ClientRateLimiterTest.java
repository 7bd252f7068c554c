package bridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a test clock: burst, sustained rate, the wait it reports, per-client isolation, eviction. */
class ClientRateLimiterTest {

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final ClientRateLimiter limiter = new ClientRateLimiter(10, 3, clock::get);

    @Test
    void aBurstIsAllowedThenTheRateApplies() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        long wait = limiter.acquire("a");
        assertThat(wait).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(99));
        assertThat(limiter.acquire("a")).isPositive();
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertThat(limiter.acquire("a")).isPositive();
        assertThat(limiter.acquire("b")).isZero();
    }

    @Test
    void anIdleClientRefillsToTheBurstAndNoMore() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void idleClientsAreForgottenWhenManyAreTracked() {
        for (int i = 0; i <= ClientRateLimiter.MAX_TRACKED; i++) {
            limiter.acquire("client-" + i);
        }
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        limiter.acquire("one-more");
        assertThat(limiter.tracked()).isLessThan(10);
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new ClientRateLimiter(0, 1, clock::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRateLimiter(1, 0, clock::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
