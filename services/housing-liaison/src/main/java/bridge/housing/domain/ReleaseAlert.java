package bridge.housing.domain;

import bridge.support.calendar.Jurisdiction;
import bridge.support.calendar.PublicHolidays;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** What a release planner must act on (the seeds: released on a Friday with nowhere to live). */
public enum ReleaseAlert {
    /** No accommodation secured and release is within the alert window. */
    NO_ACCOMMODATION_SECURED,
    /** Released on a Friday: councils, Jobcentres and services close for the weekend. */
    FRIDAY_RELEASE,
    /**
     * Released the day before a bank holiday in the release area's calendar, or on the last working
     * day before one (a Friday before a bank-holiday Monday): offices stay shut for longer.
     */
    DAY_BEFORE_PUBLIC_HOLIDAY;

    /**
     * The open alerts of a plan on {@code today}. A plan whose release has passed has none: it is
     * history, not work.
     *
     * @param alertDays how many days before release a plan without accommodation is an alert
     */
    public static List<ReleaseAlert> of(ReleasePlan plan, LocalDate today, int alertDays) {
        List<ReleaseAlert> out = new ArrayList<>();
        LocalDate release = plan.releaseDate();
        if (release.isBefore(today)) {
            return out;
        }
        if (!plan.accommodationSecured() && !release.isAfter(today.plusDays(alertDays))) {
            out.add(NO_ACCOMMODATION_SECURED);
        }
        if (release.getDayOfWeek() == DayOfWeek.FRIDAY) {
            out.add(FRIDAY_RELEASE);
        }
        // A bank holiday before offices open again: the day after, or the Monday after a Friday release.
        LocalDate reopening = PublicHolidays.firstWorkingDayAfter(plan.jurisdiction(), release);
        for (LocalDate d = release.plusDays(1); d.isBefore(reopening); d = d.plusDays(1)) {
            if (PublicHolidays.isHoliday(plan.jurisdiction(), d)) {
                out.add(DAY_BEFORE_PUBLIC_HOLIDAY);
                break;
            }
        }
        return out;
    }

    /** The calendar of a plan: as given, else from its local authority's code. */
    static Jurisdiction jurisdictionOf(NewReleasePlan plan) {
        if (plan.jurisdiction() != null) {
            return plan.jurisdiction();
        }
        return Jurisdiction.ofAuthorityCode(plan.localAuthorityCode()).orElse(null);
    }
}
