package bridge.referrals.domain;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether the person comes: the appointments the receiver recorded (earliest start first), the
 * disengagement plan, and the re-engagement steps it raised (oldest first).
 */
public record Engagement(List<Appointment> appointments, DisengagementPlan plan, List<DisengagementPlan.Raised> raised) {

    /** Pick-up: the first community appointment attended within this many days of release. */
    public static final int PICK_UP_DAYS = 21;

    static final Comparator<Appointment> BY_START = Comparator.comparing(Appointment::start).thenComparing(Appointment::id);

    public Engagement {
        appointments = appointments == null ? List.of() : appointments.stream().sorted(BY_START).toList();
        plan = plan == null ? DisengagementPlan.standard() : plan;
        raised = raised == null ? List.of() : List.copyOf(raised);
    }

    public static Engagement of(DisengagementPlan plan) {
        return new Engagement(List.of(), plan, List.of());
    }

    /** Missed appointments since the last attended one (offered ones do not count either way). */
    public int missedInARow() {
        int n = 0;
        for (Appointment a : appointments) {
            if (a.outcome() == Appointment.Outcome.ATTENDED) {
                n = 0;
            } else if (a.outcome() == Appointment.Outcome.MISSED) {
                n++;
            }
        }
        return n;
    }

    /** The first attended appointment, if any. */
    public Optional<Appointment> firstAttended() {
        return appointments.stream().filter(a -> a.outcome() == Appointment.Outcome.ATTENDED).findFirst();
    }

    /**
     * Attended in the community within {@value #PICK_UP_DAYS} days of the release date: on or after
     * the release date (UK calendar) and on or before release + 21 days.
     */
    public boolean pickedUpAfter(LocalDate releaseDate) {
        LocalDate last = releaseDate.plusDays(PICK_UP_DAYS);
        return appointments.stream().filter(a -> a.outcome() == Appointment.Outcome.ATTENDED)
                .map(a -> LocalDate.ofInstant(a.start(), TimerPolicy.ZONE))
                .anyMatch(d -> !d.isBefore(releaseDate) && !d.isAfter(last));
    }

    /** Without the missed appointments (for a reader the court order does not let see them). */
    public Engagement withoutMissed() {
        return new Engagement(appointments.stream().filter(a -> a.outcome() != Appointment.Outcome.MISSED).toList(),
                plan, List.of());
    }

    Engagement with(List<Appointment> newAppointments, List<DisengagementPlan.Raised> newRaised) {
        return new Engagement(newAppointments, plan, newRaised);
    }
}
