package bridge.referrals.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-pathway timers (configurable, {@code bridge.referrals.timers}) and when a referral is overdue.
 * Working days are Monday to Friday in UK time (bank holidays are not counted out yet).
 */
public final class TimerPolicy {

    /** UK working days. */
    static final ZoneId ZONE = ZoneId.of("Europe/London");

    /** Statuses in which at least one timer runs. */
    public static final Set<ReferralStatus> RUNNING = EnumSet.of(ReferralStatus.REQUESTED, ReferralStatus.RECEIVED,
            ReferralStatus.ACCEPTED);

    private final Map<Pathway, PathwayTimers> timers;

    /** @param overrides replace the defaults for the pathways they name */
    public TimerPolicy(Map<Pathway, PathwayTimers> overrides) {
        Map<Pathway, PathwayTimers> t = new EnumMap<>(DEFAULTS);
        t.putAll(overrides);
        this.timers = Map.copyOf(t);
    }

    /** Starting points until the partnership agrees its own (configuration overrides them). */
    static final Map<Pathway, PathwayTimers> DEFAULTS = Map.of(
            Pathway.DRUG_TEST_ON_ARREST, new PathwayTimers(2, 14),
            Pathway.CUSTODY_RELEASE_TREATMENT, new PathwayTimers(5, 21),
            Pathway.COURT_TREATMENT_REQUIREMENT, new PathwayTimers(2, 14),
            Pathway.DUTY_TO_REFER, new PathwayTimers(2, 28),
            Pathway.RELEASE_BENEFITS_CLAIM, new PathwayTimers(5, 28),
            Pathway.PEER_NAVIGATOR, new PathwayTimers(2, 14),
            Pathway.LIAISON_AND_DIVERSION, new PathwayTimers(1, 7));

    public static TimerPolicy defaults() {
        return new TimerPolicy(Map.of());
    }

    public PathwayTimers of(Pathway pathway) {
        return timers.get(pathway);
    }

    /** Referrals sent at or after this cannot be overdue at {@code now} (working days are at least days). */
    public Instant earliestSendingThatCanBeDue(Instant now) {
        int min = timers.values().stream().mapToInt(t -> Math.min(t.acknowledgeWorkingDays(), t.firstAppointmentDays()))
                .min().orElse(1);
        return now.minus(min, ChronoUnit.DAYS);
    }

    /** The timer that ran out first, if any has run out by {@code now}. */
    public Optional<Overdue> overdue(Referral r, Instant now) {
        PathwayTimers t = of(r.pathway());
        Overdue found = null;
        if (r.status() == ReferralStatus.REQUESTED) {
            Instant due = plusWorkingDays(r.createdAt(), t.acknowledgeWorkingDays());
            if (now.isAfter(due)) {
                found = new Overdue(r, ReferralTimer.ACKNOWLEDGE, due);
            }
        }
        if (RUNNING.contains(r.status())) {
            Instant due = r.createdAt().plus(t.firstAppointmentDays(), ChronoUnit.DAYS);
            if (now.isAfter(due) && (found == null || due.isBefore(found.due()))) {
                found = new Overdue(r, ReferralTimer.FIRST_APPOINTMENT, due);
            }
        }
        return Optional.ofNullable(found);
    }

    /** The same time of day {@code days} working days later (a weekend day is skipped, not counted). */
    static Instant plusWorkingDays(Instant from, int days) {
        ZonedDateTime t = from.atZone(ZONE);
        int added = 0;
        while (added < days) {
            t = t.plusDays(1);
            if (t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY) {
                added++;
            }
        }
        return t.toInstant();
    }
}
