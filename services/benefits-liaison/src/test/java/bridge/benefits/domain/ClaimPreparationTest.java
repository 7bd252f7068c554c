package bridge.benefits.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.calendar.Jurisdiction;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimPreparationTest {

    private static ClaimPreparation preparation(Jurisdiction j, LocalDate release, Checklist c) {
        return new ClaimPreparation("c1", "p1", Benefit.UNIVERSAL_CREDIT, release, j, c, "",
                new Actor("adviser", "dwp-leeds", AgencyType.BENEFITS), Instant.EPOCH, Instant.EPOCH, 1);
    }

    private static Checklist all(LocalDate appointment, LocalDate payment) {
        return new Checklist(true, true, true, appointment, payment);
    }

    @ParameterizedTest(name = "{0} released {1}: first working day {2}")
    @CsvSource({
            "ENGLAND_AND_WALES, 2026-12-04, 2026-12-07",  // Friday release: Monday
            "ENGLAND_AND_WALES, 2026-12-24, 2026-12-29",  // Christmas, weekend, Boxing Day substitute
            "ENGLAND_AND_WALES, 2026-04-02, 2026-04-07",  // Good Friday, Easter Monday
            "SCOTLAND,          2026-04-02, 2026-04-06",  // no Easter Monday in Scotland
            "SCOTLAND,          2026-11-27, 2026-12-01",  // St Andrew's Day Monday 30 November
            "ENGLAND_AND_WALES, 2026-11-27, 2026-11-30",
            "SCOTLAND,          2026-12-31, 2027-01-05"}) // 1 Jan, weekend, 2 Jan substitute Monday 4 Jan
    void theAppointmentIsDueOnTheFirstWorkingDayAfterRelease(Jurisdiction j, LocalDate release, LocalDate firstWorkingDay) {
        ClaimPreparation p = preparation(j, release, all(firstWorkingDay, firstWorkingDay.plusDays(7)));
        assertThat(p.firstWorkingDayAfterRelease()).isEqualTo(firstWorkingDay);
        assertThat(p.ready()).isTrue();
        assertThat(preparation(j, release, all(firstWorkingDay.plusDays(1), null)).ready()).isFalse();
    }

    @ParameterizedTest(name = "release {0} today {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-12-04 | 2026-11-23 | ready      | 2026-12-10 |
            2026-12-04 | 2026-11-23 | no-bank    | 2026-12-10 | NOT_READY
            2026-12-20 | 2026-11-23 | no-bank    | 2026-12-30 |
            2026-12-04 | 2026-11-23 | ready      | 2026-12-19 | PAYMENT_GAP
            2026-12-04 | 2026-11-23 | ready      | 2026-12-18 |
            2026-12-04 | 2026-11-23 | ready      |            | PAYMENT_GAP
            2026-12-04 | 2026-11-23 | no-bank    |            | NOT_READY PAYMENT_GAP
            2026-12-04 | 2026-12-10 | no-bank    |            | PAYMENT_GAP
            2026-12-04 | 2026-12-19 | no-bank    |            |
            """)
    void alerts(LocalDate release, LocalDate today, String state, LocalDate payment, String expected) {
        LocalDate appointment = preparation(Jurisdiction.ENGLAND_AND_WALES, release, Checklist.EMPTY).firstWorkingDayAfterRelease();
        Checklist c = new Checklist(true, state.equals("ready"), true, appointment, payment);
        List<ClaimAlert> want = expected == null ? List.of() : Arrays.stream(expected.split(" ")).map(ClaimAlert::valueOf).toList();
        assertThat(preparation(Jurisdiction.ENGLAND_AND_WALES, release, c).alerts(today, 14, 14)).containsExactlyElementsOf(want);
    }
}
