package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pathway timers and the overdue list, driven by a clock the test moves. */
class TimerPolicyTest {

    // Monday 2 March 2026, 10:00 UK time (GMT)
    static final Instant MONDAY = Instant.parse("2026-03-02T10:00:00Z");
    static final Caller PRISON = new Caller("rp-1", "hmp-leeds", AgencyType.PRISON, Set.of("worker"));
    static final Caller TREATMENT = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller HOUSING = new Caller("ho-1", "leeds-housing", AgencyType.HOUSING, Set.of("worker"));

    @Test
    void workingDaysSkipWeekends() {
        assertThat(TimerPolicy.plusWorkingDays(MONDAY, 1)).isEqualTo(MONDAY.plus(Duration.ofDays(1)));
        assertThat(TimerPolicy.plusWorkingDays(MONDAY, 5)).isEqualTo(MONDAY.plus(Duration.ofDays(7)));
        Instant friday = MONDAY.plus(Duration.ofDays(4));
        assertThat(TimerPolicy.plusWorkingDays(friday, 1)).isEqualTo(MONDAY.plus(Duration.ofDays(7)));
        Instant saturday = MONDAY.plus(Duration.ofDays(5));
        assertThat(TimerPolicy.plusWorkingDays(saturday, 1)).isEqualTo(MONDAY.plus(Duration.ofDays(7)));
        // across the change to summer time (29 March 2026) the time of day stays 10:00 UK time
        Instant friday27 = Instant.parse("2026-03-27T10:00:00Z");
        assertThat(TimerPolicy.plusWorkingDays(friday27, 1)).isEqualTo(Instant.parse("2026-03-30T09:00:00Z"));
    }

    @Test
    void configurationOverridesTheDefaultsPerPathway() {
        TimerPolicy p = new TimerPolicy(Map.of(Pathway.PEER_NAVIGATOR, new PathwayTimers(3, 10)));
        assertThat(p.of(Pathway.PEER_NAVIGATOR)).isEqualTo(new PathwayTimers(3, 10));
        assertThat(p.of(Pathway.DRUG_TEST_ON_ARREST)).isEqualTo(TimerPolicy.DEFAULTS.get(Pathway.DRUG_TEST_ON_ARREST));
        for (Pathway pathway : Pathway.values()) {
            assertThat(TimerPolicy.defaults().of(pathway)).as(pathway.name()).isNotNull();
        }
        assertThatThrownBy(() -> new PathwayTimers(0, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    final MutableClock clock = new MutableClock(ReferralsTest.NOW);
    final AtomicInteger seq = new AtomicInteger();
    /** Receivers hold the person's consent: the overdue list shows their content (purpose REFERRAL). */
    final Referrals referrals = new Referrals(new ReferralsTest.InMemoryReferrals(), (p, c, u) -> {
        assertThat(u).isEqualTo(bridge.support.consent.Purpose.REFERRAL);
        return bridge.support.consent.Decisions.allowAll();
    }, personId -> true, clock, () -> String.format("id%04d", seq.incrementAndGet()),
            new TimerPolicy(Map.of(Pathway.DRUG_TEST_ON_ARREST, new PathwayTimers(2, 14))));

    Referral send(Pathway pathway, String to) {
        return referrals.send(PRISON, new NewReferral("p" + seq.get(), pathway, to, "", PathwayFixtures.details(pathway)), null);
    }

    List<String> overdue(Caller caller) {
        List<String> out = new ArrayList<>();
        String token = "";
        do {
            OverduePage page = referrals.listOverdue(caller, 1, token, new Violations());
            page.overdue().forEach(o -> out.add(o.referral().id() + " " + o.timer() + " " + o.due()));
            token = page.nextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    @Test
    void theOverdueListFollowsTheClock() {
        clock.set(MONDAY);
        Referral a = send(Pathway.DRUG_TEST_ON_ARREST, "forward-leeds");   // ack due Wednesday 10:00, start due +14d
        clock.set(MONDAY.plus(Duration.ofHours(1)));
        Referral b = send(Pathway.DRUG_TEST_ON_ARREST, "forward-leeds");   // ack due Wednesday 11:00
        Referral c = send(Pathway.DRUG_TEST_ON_ARREST, "leeds-housing");   // someone else's work

        clock.set(MONDAY.plus(Duration.ofDays(2)));                      // Wednesday 10:00: due, not yet overdue
        assertThat(overdue(TREATMENT)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(overdue(TREATMENT)).containsExactly(a.id() + " ACKNOWLEDGE " + MONDAY.plus(Duration.ofDays(2)));

        clock.set(MONDAY.plus(Duration.ofDays(3)));                      // Thursday: both late, earliest first
        assertThat(overdue(TREATMENT)).containsExactly(
                a.id() + " ACKNOWLEDGE " + MONDAY.plus(Duration.ofDays(2)),
                b.id() + " ACKNOWLEDGE " + MONDAY.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)));
        assertThat(overdue(HOUSING)).containsExactly(c.id() + " ACKNOWLEDGE " + MONDAY.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)));
        assertThat(overdue(PRISON)).as("the sender's list is its received work, not what it sent").isEmpty();

        // acknowledging stops the first timer; accepting does not stop the second
        Referral ackd = referrals.transition(TREATMENT, a.id(), Transition.ACKNOWLEDGE, a.etag(), null, new Violations());
        assertThat(overdue(TREATMENT)).containsExactly(
                b.id() + " ACKNOWLEDGE " + MONDAY.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)));
        Referral accepted = referrals.transition(TREATMENT, a.id(), Transition.ACCEPT, ackd.etag(), null, new Violations());

        clock.set(MONDAY.plus(Duration.ofDays(14)).plusSeconds(1));      // a's first appointment is late too
        assertThat(overdue(TREATMENT)).containsExactly(
                b.id() + " ACKNOWLEDGE " + MONDAY.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)),
                a.id() + " FIRST_APPOINTMENT " + MONDAY.plus(Duration.ofDays(14)));

        // starting (first appointment) and rejecting end the timers
        referrals.transition(TREATMENT, a.id(), Transition.START, accepted.etag(), null, new Violations());
        referrals.transition(TREATMENT, b.id(), Transition.REJECT, referrals.get(TREATMENT, b.id(), null).etag(),
                new StatusReason(StatusReasonCode.NO_CAPACITY, ""), new Violations());
        assertThat(overdue(TREATMENT)).isEmpty();
    }

    @Test
    void badPageTokensAndPageSizesAreNamedAndPlatformSeesNothing() {
        assertThatThrownBy(() -> referrals.listOverdue(TREATMENT, 0, "garbage", new Violations()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("page_token");
        assertThatThrownBy(() -> referrals.listOverdue(TREATMENT, -1, "", new Violations()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("page_size");
        assertThatThrownBy(() -> referrals.listOverdue(new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of()),
                0, "", new Violations())).isInstanceOf(PermissionDeniedException.class);
    }
}
