package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.referrals.domain.Appointment.Outcome;
import bridge.referrals.domain.DisengagementPlan.Step;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Appointments, pick-up after custody release, and the disengagement plan raising re-engagement steps. */
class EngagementTest {

    static final Caller PRISON = new Caller("rp-1", "hmp-leeds", AgencyType.PRISON, Set.of("worker"));
    static final Caller TREATMENT = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller PROBATION = new Caller("po-1", "yorkshire-probation", AgencyType.PROBATION, Set.of("worker"));
    /** A Monday; release is a Friday four weeks later. */
    static final Instant SENT = Instant.parse("2026-03-02T10:00:00Z");
    static final LocalDate RELEASE = LocalDate.of(2026, 3, 27);

    final ReferralsTest.InMemoryReferrals store = new ReferralsTest.InMemoryReferrals();
    final MutableClock clock = new MutableClock(ReferralsTest.NOW);
    final ReferralsTest.RecordingDecisions decisions = new ReferralsTest.RecordingDecisions();
    final AtomicInteger seq = new AtomicInteger();
    final Referrals referrals = new Referrals(store, decisions, p -> true, clock, () -> "id" + seq.incrementAndGet());

    {
        decisions.granted.addAll(List.of(DataCategory.values()));
        clock.set(SENT);
    }

    Referral custodyRelease(DisengagementPlan plan) {
        Referral r = referrals.send(PRISON, new NewReferral("p1", Pathway.CUSTODY_RELEASE_TREATMENT, "forward-leeds", "",
                new PathwayDetails.CustodyRelease(RELEASE, "HMP Leeds", Set.of(PathwayDetails.CustodyTreatment.PSYCHOSOCIAL)),
                plan), null);
        return referrals.transition(TREATMENT, r.id(), Transition.ACCEPT, r.etag(), null, new Violations());
    }

    Referral record(Referral r, Instant start, Outcome outcome) {
        return referrals.recordAppointment(TREATMENT, r.id(), r.etag(), "", start, outcome, new Violations());
    }

    static Instant onDayAfterRelease(int days) {
        return RELEASE.plusDays(days).atTime(14, 0).atZone(TimerPolicy.ZONE).toInstant();
    }

    @Test
    void pickedUpMeansAttendedInTheCommunityWithin21DaysOfRelease() {
        clock.set(onDayAfterRelease(40));
        for (int day : new int[] {-1, 22}) {
            Referral r = record(custodyRelease(null), onDayAfterRelease(day), Outcome.ATTENDED);
            assertThat(r.pickedUp()).as("attended on day " + day).isFalse();
        }
        for (int day : new int[] {0, 9, 21}) {
            Referral r = record(custodyRelease(null), onDayAfterRelease(day), Outcome.ATTENDED);
            assertThat(r.pickedUp()).as("attended on day " + day).isTrue();
        }
        Referral missed = record(custodyRelease(null), onDayAfterRelease(9), Outcome.MISSED);
        assertThat(missed.pickedUp()).isFalse();
        Referral offered = record(custodyRelease(null), onDayAfterRelease(9), Outcome.OFFERED);
        assertThat(offered.pickedUp()).isFalse();
        Referral attended = referrals.recordAppointment(TREATMENT, offered.id(), offered.etag(),
                offered.engagement().appointments().getFirst().id(), null, Outcome.ATTENDED, new Violations());
        assertThat(attended.pickedUp()).isTrue();
        assertThat(attended.engagement().appointments()).singleElement()
                .satisfies(a -> assertThat(a.start()).isEqualTo(onDayAfterRelease(9)));
    }

    @Test
    void afterKMissedInARowThePlansStepsAreRaisedOnceAndRecordedAsDone() {
        clock.set(onDayAfterRelease(60));
        Referral r = custodyRelease(new DisengagementPlan(2, List.of(Step.OUTREACH, Step.NOTIFY_REFERRER)));
        r = record(r, onDayAfterRelease(1), Outcome.MISSED);
        assertThat(r.engagement().raised()).isEmpty();
        r = record(r, onDayAfterRelease(3), Outcome.MISSED);
        assertThat(r.engagement().raised()).extracting(DisengagementPlan.Raised::step)
                .containsExactly(Step.OUTREACH, Step.NOTIFY_REFERRER);
        assertThat(r.engagement().raised()).allSatisfy(x -> {
            assertThat(x.raisedAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(x.isDone()).isFalse();
        });
        r = record(r, onDayAfterRelease(5), Outcome.MISSED);                 // a third miss raises nothing more
        assertThat(r.engagement().raised()).hasSize(2);
        r = record(r, onDayAfterRelease(7), Outcome.ATTENDED);               // attending resets the count
        r = record(r, onDayAfterRelease(9), Outcome.MISSED);
        assertThat(r.engagement().raised()).hasSize(2);
        r = record(r, onDayAfterRelease(11), Outcome.MISSED);
        assertThat(r.engagement().raised()).hasSize(4);

        clock.advance(Duration.ofHours(2));
        Referral done = referrals.recordReengagementStep(TREATMENT, r.id(), r.etag(), Step.OUTREACH, "Visited the hostel",
                new Violations());
        assertThat(done.engagement().raised().get(0).isDone()).isTrue();
        assertThat(done.engagement().raised().get(0).doneBy().agency()).isEqualTo("forward-leeds");
        assertThat(done.engagement().raised().get(0).note()).isEqualTo("Visited the hostel");
        assertThat(done.engagement().raised().get(2).isDone()).isFalse();
        done = referrals.recordReengagementStep(TREATMENT, r.id(), done.etag(), Step.OUTREACH, "", new Violations());
        assertThat(done.engagement().raised().get(2).isDone()).isTrue();
        Referral last = done;
        assertThatThrownBy(() -> referrals.recordReengagementStep(TREATMENT, last.id(), last.etag(), Step.OUTREACH, "",
                new Violations())).isInstanceOf(FailedPreconditionException.class);
        assertThatThrownBy(() -> referrals.recordReengagementStep(TREATMENT, last.id(), last.etag(), Step.PEER_NAVIGATOR, "",
                new Violations())).isInstanceOf(FailedPreconditionException.class).hasMessageContaining("PEER_NAVIGATOR");
        assertThat(store.findById(r.id()).orElseThrow()).isEqualTo(last);
    }

    @Test
    void badAppointmentRequestsChangeNothing() {
        clock.set(onDayAfterRelease(5));
        Referral r = custodyRelease(null);
        assertThat(fields(() -> record(r, onDayAfterRelease(6), Outcome.ATTENDED))).containsExactly("start_time");
        assertThat(fields(() -> record(r, null, null))).containsExactly("outcome", "start_time");
        assertThat(fields(() -> referrals.recordAppointment(TREATMENT, r.id(), "", "", onDayAfterRelease(1), Outcome.MISSED,
                new Violations()))).containsExactly("etag");
        assertThat(fields(() -> referrals.recordAppointment(TREATMENT, r.id(), r.etag(), "nope", null, Outcome.MISSED,
                new Violations()))).containsExactly("appointment_id");
        assertThatThrownBy(() -> referrals.recordAppointment(PRISON, r.id(), r.etag(), "", onDayAfterRelease(1),
                Outcome.MISSED, new Violations())).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> referrals.recordAppointment(TREATMENT, r.id(), "W/\"9\"", "", onDayAfterRelease(1),
                Outcome.MISSED, new Violations())).isInstanceOf(ConflictException.class);
        decisions.granted.remove(DataCategory.SUBSTANCE_USE);
        assertThatThrownBy(() -> record(r, onDayAfterRelease(1), Outcome.MISSED))
                .isInstanceOf(FailedPreconditionException.class).hasMessageContaining("SUBSTANCE_USE");
        decisions.granted.add(DataCategory.SUBSTANCE_USE);
        Referral attended = record(r, onDayAfterRelease(1), Outcome.ATTENDED);
        assertThatThrownBy(() -> referrals.recordAppointment(TREATMENT, r.id(), attended.etag(),
                attended.engagement().appointments().getFirst().id(), null, Outcome.MISSED, new Violations()))
                .isInstanceOf(FailedPreconditionException.class).hasMessageContaining("attended");
        assertThat(store.findById(r.id()).orElseThrow()).isEqualTo(attended);

        // not before it is accepted
        Referral requested = referrals.send(PRISON, new NewReferral("p2", Pathway.PEER_NAVIGATOR, "forward-leeds", "",
                PathwayFixtures.details(Pathway.PEER_NAVIGATOR)), null);
        assertThatThrownBy(() -> record(requested, onDayAfterRelease(1), Outcome.MISSED))
                .isInstanceOf(FailedPreconditionException.class).hasMessageContaining("requested");
        assertThat(fields(() -> referrals.send(PRISON, new NewReferral("p2", Pathway.PEER_NAVIGATOR, "forward-leeds", "",
                PathwayFixtures.details(Pathway.PEER_NAVIGATOR), new DisengagementPlan(0, List.of())), null)))
                .containsExactly("referral.disengagement_plan.missed_in_a_row", "referral.disengagement_plan.steps");
    }

    @Test
    void probationSeesMissedAppointmentsOnlyAsTheOrderAllows() {
        clock.set(Instant.parse("2026-04-20T10:00:00Z"));
        for (boolean reportable : new boolean[] {false, true}) {
            Referral r = referrals.send(PROBATION, new NewReferral("p3", Pathway.COURT_TREATMENT_REQUIREMENT,
                    "forward-leeds", "", new PathwayDetails.CourtTreatmentRequirement(PathwayDetails.TreatmentRequirement.DRR,
                    LocalDate.of(2026, 4, 1), LocalDate.of(2026, 10, 1), "P. Officer", "yorkshire-probation", reportable)),
                    null);
            r = referrals.transition(TREATMENT, r.id(), Transition.ACCEPT, r.etag(), null, new Violations());
            r = record(r, Instant.parse("2026-04-14T10:00:00Z"), Outcome.ATTENDED);
            r = record(r, Instant.parse("2026-04-17T10:00:00Z"), Outcome.MISSED);
            List<Outcome> seen = referrals.get(PROBATION, r.id(), Purpose.DIRECT_SUPPORT).engagement().appointments()
                    .stream().map(Appointment::outcome).toList();
            assertThat(seen).as("reportable " + reportable).isEqualTo(reportable
                    ? List.of(Outcome.ATTENDED, Outcome.MISSED) : List.of(Outcome.ATTENDED));
            assertThat(referrals.get(TREATMENT, r.id(), Purpose.DIRECT_SUPPORT).engagement().appointments()).hasSize(2);
        }
    }

    private static List<String> fields(Runnable r) {
        try {
            r.run();
            throw new AssertionError("no violation");
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }
}
