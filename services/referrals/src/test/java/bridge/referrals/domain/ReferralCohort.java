package bridge.referrals.domain;

import bridge.referrals.domain.Appointment.Outcome;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.time.MutableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generated cohort whose measures are worked out by hand in {@link ReferralMetricsTest}, built
 * through {@link Referrals} (so events fire as in the service), with the clock stepped to each event.
 *
 * <pre>
 * 2026-01  CUSTODY_RELEASE_TREATMENT  forward-leeds     10 sent Mon 5 Jan 10:00 (UTC = UK), release Mon 2 Feb
 *   #0-#5 accepted; #6,#7 rejected NO_CAPACITY; #8 rejected OUT_OF_AREA; #9 cancelled by the prison
 *   first attended: #0 release+3, #1 +9, #2 +15, #3 +21, #4 +25 (all 10:00); #5 only missed (release+2, +4)
 * 2026-01  PEER_NAVIGATOR             peer-navigators    4 sent Mon 5 Jan 10:00
 *   #0-#2 accepted, attended 2, 4 and 10 days after sending; #3 rejected PERSON_DECLINED
 * 2026-02  CUSTODY_RELEASE_TREATMENT  forward-leeds      2 sent Mon 2 Feb 10:00, release Mon 2 Mar
 *   both accepted; #0 attended Thu 5 Mar 10:00; #1 nothing yet
 * today: Sun 15 Mar 2026
 * </pre>
 */
public final class ReferralCohort {

    public static final Instant JAN_SENT = Instant.parse("2026-01-05T10:00:00Z");
    public static final LocalDate JAN_RELEASE = LocalDate.of(2026, 2, 2);
    public static final Instant FEB_SENT = Instant.parse("2026-02-02T10:00:00Z");
    public static final LocalDate FEB_RELEASE = LocalDate.of(2026, 3, 2);
    public static final Instant TODAY = Instant.parse("2026-03-15T12:00:00Z");

    static final Caller PRISON = new Caller("rp-1", "hmp-leeds", AgencyType.PRISON, Set.of("worker"));
    static final Caller TREATMENT = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller PEERS = new Caller("pn-1", "peer-navigators", AgencyType.PEER_SUPPORT, Set.of("worker"));
    public static final Caller COMMISSIONER = new Caller("c-1", "bridge-platform", AgencyType.PLATFORM,
            Set.of(Referrals.COMMISSIONER_ROLE));

    private ReferralCohort() {
    }

    /** The cohort, built; the returned service's clock stands at {@link #TODAY}. */
    public static Referrals build(ReferralEvents events) {
        MutableClock clock = new MutableClock(ReferralsTest.NOW);
        AtomicInteger seq = new AtomicInteger();
        Referrals r = new Referrals(new ReferralsTest.InMemoryReferrals(), (p, c, u) -> bridge.support.consent.Decisions.allowAll(),
                p -> true, clock, () -> String.format("id%05d", seq.incrementAndGet())).withEvents(events);
        StatusReason noCapacity = new StatusReason(StatusReasonCode.NO_CAPACITY, "");
        for (int i = 0; i < 10; i++) {
            clock.set(JAN_SENT);
            Referral x = custody(r, "jan-" + i, JAN_RELEASE);
            clock.set(JAN_SENT.plus(1, ChronoUnit.DAYS));
            if (i <= 5) {
                x = r.transition(TREATMENT, x.id(), Transition.ACCEPT, x.etag(), null, new bridge.support.errors.Violations());
            } else if (i <= 7) {
                r.transition(TREATMENT, x.id(), Transition.REJECT, x.etag(), noCapacity, new bridge.support.errors.Violations());
            } else if (i == 8) {
                r.transition(TREATMENT, x.id(), Transition.REJECT, x.etag(), new StatusReason(StatusReasonCode.OUT_OF_AREA, ""),
                        new bridge.support.errors.Violations());
            } else {
                r.transition(PRISON, x.id(), Transition.CANCEL, x.etag(), new StatusReason(StatusReasonCode.REFERRED_IN_ERROR, ""),
                        new bridge.support.errors.Violations());
            }
            clock.set(TODAY);
            int[] attendedOn = {3, 9, 15, 21, 25};
            if (i <= 4) {
                attend(r, x, atTen(JAN_RELEASE.plusDays(attendedOn[i])), Outcome.ATTENDED);
            } else if (i == 5) {
                x = attend(r, x, atTen(JAN_RELEASE.plusDays(2)), Outcome.MISSED);
                attend(r, x, atTen(JAN_RELEASE.plusDays(4)), Outcome.MISSED);
            }
        }
        int[] peerDays = {2, 4, 10};
        for (int i = 0; i < 4; i++) {
            clock.set(JAN_SENT);
            Referral x = r.send(PRISON, new NewReferral("peer-" + i, Pathway.PEER_NAVIGATOR, "peer-navigators", "",
                    PathwayFixtures.details(Pathway.PEER_NAVIGATOR)), null);
            clock.set(JAN_SENT.plus(1, ChronoUnit.HOURS));
            if (i < 3) {
                x = r.transition(PEERS, x.id(), Transition.ACCEPT, x.etag(), null, new bridge.support.errors.Violations());
                clock.set(TODAY);
                r.recordAppointment(PEERS, x.id(), x.etag(), "", JAN_SENT.plus(peerDays[i], ChronoUnit.DAYS), Outcome.ATTENDED,
                        new bridge.support.errors.Violations());
            } else {
                r.transition(PEERS, x.id(), Transition.REJECT, x.etag(), new StatusReason(StatusReasonCode.PERSON_DECLINED, ""),
                        new bridge.support.errors.Violations());
            }
        }
        for (int i = 0; i < 2; i++) {
            clock.set(FEB_SENT);
            Referral x = custody(r, "feb-" + i, FEB_RELEASE);
            x = r.transition(TREATMENT, x.id(), Transition.ACCEPT, x.etag(), null, new bridge.support.errors.Violations());
            clock.set(TODAY);
            if (i == 0) {
                attend(r, x, atTen(LocalDate.of(2026, 3, 5)), Outcome.ATTENDED);
            }
        }
        clock.set(TODAY);
        return r;
    }

    private static Referral custody(Referrals r, String person, LocalDate release) {
        return r.send(PRISON, new NewReferral(person, Pathway.CUSTODY_RELEASE_TREATMENT, "forward-leeds", "",
                new PathwayDetails.CustodyRelease(release, "HMP Leeds", Set.of(PathwayDetails.CustodyTreatment.OPIOID_SUBSTITUTION_THERAPY))),
                null);
    }

    private static Referral attend(Referrals r, Referral x, Instant at, Outcome outcome) {
        return r.recordAppointment(TREATMENT, x.id(), x.etag(), "", at, outcome, new bridge.support.errors.Violations());
    }

    static Instant atTen(LocalDate d) {
        return d.atTime(10, 0).atZone(TimerPolicy.ZONE).toInstant();
    }
}
