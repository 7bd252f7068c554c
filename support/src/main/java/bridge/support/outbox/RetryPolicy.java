package bridge.support.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and for how long a failing delivery is retried.
 *
 * @param initialBackoff wait after the first failed attempt
 * @param multiplier     growth of the wait per further failure (>= 1)
 * @param maxBackoff     cap on the wait before jitter
 * @param maxAttempts    delivery attempts in all before the message becomes a dead letter
 * @param lease          how long a claimed message stays IN_FLIGHT before another dispatcher may
 *                       take it over; handlers' remote calls must have deadlines well under it
 */
public record RetryPolicy(Duration initialBackoff, double multiplier, Duration maxBackoff, int maxAttempts,
                          Duration lease) {

    /** Jitter spreads retries of many messages (and replicas) so a recovering receiver is not stampeded. */
    static final double JITTER = 0.2;

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(lease, "lease");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive");
        }
    }

    /**
     * 1 s, doubling, capped at 5 min, 300 attempts, 2 min lease. The first 9 waits add up to about
     * 8.5 min, the remaining 290 at 5 min (mean of the jitter) to about 24.2 h: a receiver may be
     * down for a full day without losing a message, and is probed every 5 min meanwhile. Partners
     * that stay down longer produce dead letters for operators to replay.
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 300, Duration.ofMinutes(2));
    }

    /**
     * The wait after {@code attempts} failed attempts: initialBackoff x multiplier^(attempts-1),
     * capped at maxBackoff, then spread uniformly within +/-20% (so the mean is unchanged).
     */
    public Duration backoffAfter(int attempts) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempts - 1));
        double capped = Math.min(millis, maxBackoff.toMillis());
        double jitter = 1.0 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(capped * jitter)));
    }
}
