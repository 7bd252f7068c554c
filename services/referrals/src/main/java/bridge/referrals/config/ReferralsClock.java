package bridge.referrals.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The referral service's clock: UTC system time plus an offset that is zero unless in-process code
 * moves it. No API and no setting changes it; the end-to-end tests, which run the service in their
 * own JVM, move it forward to walk a pathway over weeks (a release date, then appointments after it)
 * without backdating what the service records. Replaces support's default clock for this service only.
 */
public final class ReferralsClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Moves the service's "now" forward (or back, with a negative duration) by {@code by}. */
    public void shift(Duration by) {
        offset.updateAndGet(o -> o.plus(by));
    }

    /** Back to system time. */
    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        Clock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId z) {
                return self.withZone(z);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }
}
