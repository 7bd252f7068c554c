package bridge.support.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Against the bank holidays gov.uk publishes (www.gov.uk/bank-holidays). */
class PublicHolidaysTest {

    static Stream<Arguments> published() {
        return Stream.of(
                Arguments.of(Jurisdiction.ENGLAND_AND_WALES, 2025, "2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26"),
                Arguments.of(Jurisdiction.ENGLAND_AND_WALES, 2026, "2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28"),
                Arguments.of(Jurisdiction.ENGLAND_AND_WALES, 2027, "2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28"),
                Arguments.of(Jurisdiction.SCOTLAND, 2025, "2025-01-01 2025-01-02 2025-04-18 2025-05-05 2025-05-26 2025-08-04 2025-12-01 2025-12-25 2025-12-26"),
                Arguments.of(Jurisdiction.SCOTLAND, 2026, "2026-01-01 2026-01-02 2026-04-03 2026-05-04 2026-05-25 2026-08-03 2026-11-30 2026-12-25 2026-12-28"),
                Arguments.of(Jurisdiction.SCOTLAND, 2027, "2027-01-01 2027-01-04 2027-03-26 2027-05-03 2027-05-31 2027-08-02 2027-11-30 2027-12-27 2027-12-28"),
                // one-offs as data: Platinum Jubilee (spring holiday moved, one added), state funeral
                Arguments.of(Jurisdiction.ENGLAND_AND_WALES, 2022, "2022-01-03 2022-04-15 2022-04-18 2022-05-02 2022-06-02 2022-06-03 2022-08-29 2022-09-19 2022-12-26 2022-12-27"),
                // coronation
                Arguments.of(Jurisdiction.ENGLAND_AND_WALES, 2023, "2023-01-02 2023-04-07 2023-04-10 2023-05-01 2023-05-08 2023-05-29 2023-08-28 2023-12-25 2023-12-26"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("published")
    void matchesThePublishedDates(Jurisdiction jurisdiction, int year, String dates) {
        List<LocalDate> expected = Arrays.stream(dates.split(" ")).map(LocalDate::parse).toList();
        assertThat(PublicHolidays.of(jurisdiction, year)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "Easter {0}")
    @CsvSource({"2019,2019-04-21", "2024,2024-03-31", "2025,2025-04-20", "2026,2026-04-05", "2027,2027-03-28",
            "2038,2038-04-25", "2285,2285-03-22"})
    void computesEaster(int year, LocalDate easter) {
        assertThat(PublicHolidays.easterSunday(year)).isEqualTo(easter);
    }

    @Test
    void firstWorkingDayAfterSkipsWeekendsAndHolidays() {
        // released Thursday 24 Dec 2026: Christmas Friday, weekend, Boxing Day substitute Monday 28
        assertThat(PublicHolidays.firstWorkingDayAfter(Jurisdiction.ENGLAND_AND_WALES, LocalDate.of(2026, 12, 24)))
                .isEqualTo(LocalDate.of(2026, 12, 29));
        // released Friday 2 Apr 2027 is fine in both; Good Friday 2026 then Easter Monday only in England
        assertThat(PublicHolidays.firstWorkingDayAfter(Jurisdiction.ENGLAND_AND_WALES, LocalDate.of(2026, 4, 2)))
                .isEqualTo(LocalDate.of(2026, 4, 7));
        assertThat(PublicHolidays.firstWorkingDayAfter(Jurisdiction.SCOTLAND, LocalDate.of(2026, 4, 2)))
                .isEqualTo(LocalDate.of(2026, 4, 6));
        assertThat(PublicHolidays.isWorkingDay(Jurisdiction.SCOTLAND, LocalDate.of(2026, 11, 30))).isFalse();
        assertThat(PublicHolidays.isWorkingDay(Jurisdiction.ENGLAND_AND_WALES, LocalDate.of(2026, 11, 30))).isTrue();
    }

    @Test
    void authorityCodesNameTheirCalendar() {
        assertThat(Jurisdiction.ofAuthorityCode("E08000035")).contains(Jurisdiction.ENGLAND_AND_WALES);
        assertThat(Jurisdiction.ofAuthorityCode("W06000015")).contains(Jurisdiction.ENGLAND_AND_WALES);
        assertThat(Jurisdiction.ofAuthorityCode("S12000036")).contains(Jurisdiction.SCOTLAND);
        assertThat(Jurisdiction.ofAuthorityCode("N09000003")).isEmpty();
        assertThat(Jurisdiction.ofAuthorityCode("")).isEmpty();
    }
}
