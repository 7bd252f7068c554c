package bridge.support.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * UK bank holidays, computed rather than copied year by year: fixed dates with their substitute
 * weekdays, Easter by the computus, Mondays by rule. Holidays that Parliament adds or moves once
 * (jubilees, a coronation, a state funeral) are listed as data in {@link #ONE_OFF_ADDED} and
 * {@link #ONE_OFF_MOVED}; add new ones there when they are proclaimed. Plain Java: domain rules
 * use it (release on the day before a holiday, first working day after release).
 */
public final class PublicHolidays {

    private PublicHolidays() {
    }

    /** Proclaimed extra holidays, by calendar. */
    static final Map<Jurisdiction, Set<LocalDate>> ONE_OFF_ADDED = Map.of(
            Jurisdiction.ENGLAND_AND_WALES, Set.of(
                    LocalDate.of(2011, 4, 29),  // royal wedding
                    LocalDate.of(2012, 6, 5),   // Diamond Jubilee
                    LocalDate.of(2022, 6, 3),   // Platinum Jubilee
                    LocalDate.of(2022, 9, 19),  // state funeral of Queen Elizabeth II
                    LocalDate.of(2023, 5, 8)),  // coronation of King Charles III
            Jurisdiction.SCOTLAND, Set.of(
                    LocalDate.of(2011, 4, 29),
                    LocalDate.of(2012, 6, 5),
                    LocalDate.of(2022, 6, 3),
                    LocalDate.of(2022, 9, 19),
                    LocalDate.of(2023, 5, 8)));

    /** Regular holidays moved by proclamation: rule date → actual date (both calendars). */
    static final Map<LocalDate, LocalDate> ONE_OFF_MOVED = Map.of(
            LocalDate.of(2012, 5, 28), LocalDate.of(2012, 6, 4),  // spring bank holiday, Diamond Jubilee
            LocalDate.of(2020, 5, 4), LocalDate.of(2020, 5, 8),   // early May, VE Day 75
            LocalDate.of(2022, 5, 30), LocalDate.of(2022, 6, 2),  // spring bank holiday, Platinum Jubilee
            LocalDate.of(1995, 5, 1), LocalDate.of(1995, 5, 8));  // early May, VE Day 50

    /** The bank holidays of one year in one calendar, in date order. */
    public static Set<LocalDate> of(Jurisdiction jurisdiction, int year) {
        TreeSet<LocalDate> days = new TreeSet<>();
        LocalDate easter = easterSunday(year);
        days.add(easter.minusDays(2)); // Good Friday
        days.add(firstMonday(year, Month.MAY));
        days.add(lastMonday(year, Month.MAY));
        if (jurisdiction == Jurisdiction.ENGLAND_AND_WALES) {
            days.add(easter.plusDays(1)); // Easter Monday
            days.add(lastMonday(year, Month.AUGUST));
            withSubstitutes(days, LocalDate.of(year, 1, 1));
        } else {
            days.add(firstMonday(year, Month.AUGUST));
            withSubstitutes(days, LocalDate.of(year, 1, 1), LocalDate.of(year, 1, 2));
            withSubstitutes(days, LocalDate.of(year, 11, 30)); // St Andrew's Day
        }
        withSubstitutes(days, LocalDate.of(year, 12, 25), LocalDate.of(year, 12, 26));
        TreeSet<LocalDate> out = new TreeSet<>();
        for (LocalDate d : days) {
            out.add(ONE_OFF_MOVED.getOrDefault(d, d));
        }
        ONE_OFF_ADDED.get(jurisdiction).stream().filter(d -> d.getYear() == year).forEach(out::add);
        return out;
    }

    public static boolean isHoliday(Jurisdiction jurisdiction, LocalDate date) {
        return of(jurisdiction, date.getYear()).contains(date);
    }

    /** Monday to Friday and not a bank holiday: the day offices (Jobcentre, housing options) open. */
    public static boolean isWorkingDay(Jurisdiction jurisdiction, LocalDate date) {
        DayOfWeek d = date.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && !isHoliday(jurisdiction, date);
    }

    /** The first working day strictly after {@code date}. */
    public static LocalDate firstWorkingDayAfter(Jurisdiction jurisdiction, LocalDate date) {
        LocalDate d = date.plusDays(1);
        while (!isWorkingDay(jurisdiction, d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus). */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }

    /**
     * Fixed-date holidays in order; one on a weekend (or on a day already taken by the one before)
     * moves to the next weekday that is free: Christmas on a Saturday gives Monday 27 and Boxing Day
     * Tuesday 28; Christmas on a Sunday gives Monday 26 and Tuesday 27, as gov.uk lists them.
     */
    private static void withSubstitutes(Set<LocalDate> days, LocalDate... fixed) {
        for (LocalDate day : fixed) {
            LocalDate d = day;
            while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY || days.contains(d)) {
                d = d.plusDays(1);
            }
            days.add(d);
        }
    }

    private static LocalDate firstMonday(int year, Month month) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY));
    }

    private static LocalDate lastMonday(int year, Month month) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY));
    }
}
