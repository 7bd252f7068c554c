package bridge.referrals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import bridge.referrals.domain.ReferralCohort;
import bridge.referrals.domain.Referrals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same cohort as ReferralMetricsTest, seen through Micrometer: counters, the timer and the rate gauges. */
class MicrometerReferralEventsTest {

    @Test
    void theCohortsMeasuresAsMetrics() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MicrometerReferralEvents events = new MicrometerReferralEvents(meters);
        Referrals referrals = ReferralCohort.build(events);

        assertThat(meters.get("bridge.referrals.sent").tags("pathway", "CUSTODY_RELEASE_TREATMENT", "agency", "forward-leeds")
                .counter().count()).isEqualTo(12);
        assertThat(meters.get("bridge.referrals.sent").tags("pathway", "PEER_NAVIGATOR").counter().count()).isEqualTo(4);
        assertThat(meters.get("bridge.referrals.decided").tags("pathway", "CUSTODY_RELEASE_TREATMENT", "outcome", "accepted")
                .counter().count()).isEqualTo(8);
        assertThat(meters.get("bridge.referrals.decided").tags("outcome", "rejected", "reason", "NO_CAPACITY")
                .counter().count()).isEqualTo(2);
        assertThat(meters.get("bridge.referrals.decided").tags("outcome", "rejected", "reason", "PERSON_DECLINED")
                .counter().count()).isEqualTo(1);
        var timer = meters.get("bridge.referrals.first.appointment").tags("pathway", "CUSTODY_RELEASE_TREATMENT").timer();
        assertThat(timer.count()).isEqualTo(6);
        // 31 + 37 + 43 + 49 + 53 (January) + 31 (February) days
        assertThat(timer.totalTime(TimeUnit.DAYS)).isCloseTo(244, within(1e-9));
        assertThat(meters.get("bridge.referrals.picked.up").counter().count()).isEqualTo(5);

        events.refresh(referrals, Clock.fixed(ReferralCohort.TODAY, ZoneOffset.UTC));
        // 12 months to March: picked up 4 + 1 of eligible 9 + 1
        assertThat(meters.get("bridge.referrals.pick.up.rate").tags("pathway", "CUSTODY_RELEASE_TREATMENT",
                "agency", "forward-leeds").gauge().value()).isCloseTo(0.5, within(1e-12));
        assertThat(meters.get("bridge.referrals.acceptance.rate").tags("pathway", "CUSTODY_RELEASE_TREATMENT",
                "agency", "forward-leeds").gauge().value()).isCloseTo(8.0 / 11, within(1e-12));
        assertThat(meters.get("bridge.referrals.acceptance.rate").tags("pathway", "PEER_NAVIGATOR").gauge().value())
                .isEqualTo(0.75);
        events.close();
    }
}
