package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The commissioners' measures on the generated cohort of {@link ReferralCohort}, against values worked out by hand. */
class ReferralMetricsTest {

    final Referrals referrals = ReferralCohort.build(ReferralEvents.NONE);

    List<ReferralMetrics.Row> rows() {
        return referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2026, 1), YearMonth.of(2026, 3), null, null,
                new Violations());
    }

    @Test
    void custodyReleaseInJanuary() {
        ReferralMetrics.Row jan = rows().get(0);
        assertThat(jan.key()).isEqualTo(new ReferralMetrics.Key(Pathway.CUSTODY_RELEASE_TREATMENT, "forward-leeds",
                YearMonth.of(2026, 1)));
        assertThat(jan.sent()).isEqualTo(10);
        // decided = 6 accepted + 3 rejected (the cancelled one was never decided)
        assertThat(jan.accepted()).isEqualTo(6);
        assertThat(jan.rejected()).isEqualTo(3);
        assertThat(jan.acceptanceRate()).hasValueSatisfying(r -> assertThat(r).isCloseTo(6.0 / 9, within(1e-12)));
        assertThat(jan.rejectedByReason()).isEqualTo(Map.of(StatusReasonCode.NO_CAPACITY, 2, StatusReasonCode.OUT_OF_AREA, 1));
        assertThat(jan.rejectionRate(StatusReasonCode.NO_CAPACITY)).hasValueSatisfying(r -> assertThat(r).isCloseTo(2.0 / 9, within(1e-12)));
        assertThat(jan.rejectionRate(StatusReasonCode.OUT_OF_AREA)).hasValueSatisfying(r -> assertThat(r).isCloseTo(1.0 / 9, within(1e-12)));
        // sent 5 Jan, release 2 Feb = day 28: first attended on days 31, 37, 43, 49, 53
        assertThat(jan.withFirstAppointment()).isEqualTo(5);
        assertThat(jan.medianToFirstAppointment()).contains(Duration.ofDays(43));   // rank ceil(0.5 * 5) = 3
        assertThat(jan.p90ToFirstAppointment()).contains(Duration.ofDays(53));      // rank ceil(0.9 * 5) = 5
        // eligible: all but the cancelled one (windows closed 23 Feb); picked up: release +3, +9, +15, +21
        assertThat(jan.pickUpEligible()).isEqualTo(9);
        assertThat(jan.pickedUp()).isEqualTo(4);
        assertThat(jan.pickUpRate()).hasValueSatisfying(r -> assertThat(r).isCloseTo(4.0 / 9, within(1e-12)));
    }

    @Test
    void peerNavigatorInJanuary() {
        ReferralMetrics.Row peers = rows().get(1);
        assertThat(peers.key()).isEqualTo(new ReferralMetrics.Key(Pathway.PEER_NAVIGATOR, "peer-navigators", YearMonth.of(2026, 1)));
        assertThat(peers.sent()).isEqualTo(4);
        assertThat(peers.acceptanceRate()).contains(0.75);
        assertThat(peers.rejectedByReason()).isEqualTo(Map.of(StatusReasonCode.PERSON_DECLINED, 1));
        assertThat(peers.rejectionRate(StatusReasonCode.PERSON_DECLINED)).contains(0.25);
        assertThat(peers.rejectionRate(StatusReasonCode.NO_CAPACITY)).contains(0.0);
        assertThat(peers.medianToFirstAppointment()).contains(Duration.ofDays(4));   // 2, 4, 10: rank 2
        assertThat(peers.p90ToFirstAppointment()).contains(Duration.ofDays(10));    // rank ceil(2.7) = 3
        assertThat(peers.pickUpEligible()).isZero();
        assertThat(peers.pickUpRate()).isEmpty();
    }

    @Test
    void custodyReleaseInFebruaryOnlyCountsClosedWindowsOrPickUps() {
        ReferralMetrics.Row feb = rows().get(2);
        assertThat(feb.key().month()).isEqualTo(YearMonth.of(2026, 2));
        assertThat(feb.sent()).isEqualTo(2);
        assertThat(feb.acceptanceRate()).contains(1.0);
        // released 2 Mar, window open until 23 Mar: the one attended 5 Mar counts, the other not yet
        assertThat(feb.pickUpEligible()).isEqualTo(1);
        assertThat(feb.pickUpRate()).contains(1.0);
        assertThat(feb.medianToFirstAppointment()).contains(Duration.ofDays(31));
        assertThat(feb.p90ToFirstAppointment()).contains(Duration.ofDays(31));
        assertThat(rows()).hasSize(3);
    }

    @Test
    void filtersAndMonthsAreHonoured() {
        assertThat(referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2026, 2), YearMonth.of(2026, 2), null, null,
                new Violations())).extracting(r -> r.key().month()).containsExactly(YearMonth.of(2026, 2));
        assertThat(referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2026, 1), YearMonth.of(2026, 3),
                Pathway.PEER_NAVIGATOR, null, new Violations())).hasSize(1);
        assertThat(referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2026, 1), YearMonth.of(2026, 3), null,
                "peer-navigators", new Violations())).hasSize(1);
        assertThat(referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2025, 1), YearMonth.of(2025, 12), null, null,
                new Violations())).isEmpty();
    }

    @Test
    void onlyCommissionersAskAndMonthsAreChecked() {
        Caller worker = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker", "manager"));
        assertThatThrownBy(() -> referrals.metrics(worker, YearMonth.of(2026, 1), YearMonth.of(2026, 1), null, null,
                new Violations())).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2026, 3), YearMonth.of(2026, 1),
                null, null, new Violations())).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("end_month");
        assertThatThrownBy(() -> referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2024, 1), YearMonth.of(2026, 1),
                null, null, new Violations())).isInstanceOf(InvalidArgumentException.class);
        assertThat(referrals.metrics(ReferralCohort.COMMISSIONER, YearMonth.of(2024, 2), YearMonth.of(2026, 1), null, null,
                new Violations())).hasSize(2);
    }

    @Test
    void nearestRank() {
        List<Duration> d = List.of(Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(3), Duration.ofDays(4));
        assertThat(ReferralMetrics.nearestRank(d, 0.5)).contains(Duration.ofDays(2));
        assertThat(ReferralMetrics.nearestRank(d, 0.9)).contains(Duration.ofDays(4));
        assertThat(ReferralMetrics.nearestRank(List.of(), 0.5)).isEqualTo(Optional.empty());
    }
}
