package bridge.housing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.calendar.Jurisdiction;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReleaseAlertTest {

    private static final Actor PRISON = new Actor("planner", "hmp-leeds", AgencyType.PRISON);

    private static ReleasePlan plan(LocalDate release, Jurisdiction j, boolean secured) {
        Instant t = Instant.parse("2026-11-23T09:00:00Z");
        ReleasePlan p = new ReleasePlan("p1", "person", release, "HMP Leeds", "", j, null, "", "", PRISON, t, t, 1);
        return secured ? p.withAccommodation(new Accommodation(HousingStatus.HOSTEL, "St George's Crypt", "", PRISON, t), t) : p;
    }

    @ParameterizedTest(name = "{0} release {1} today {2} secured {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            ENGLAND_AND_WALES | 2026-12-04 | 2026-11-23 | false | NO_ACCOMMODATION_SECURED FRIDAY_RELEASE
            ENGLAND_AND_WALES | 2026-12-04 | 2026-11-23 | true  | FRIDAY_RELEASE
            ENGLAND_AND_WALES | 2027-01-05 | 2026-11-23 | false |
            ENGLAND_AND_WALES | 2026-12-21 | 2026-11-23 | false | NO_ACCOMMODATION_SECURED
            ENGLAND_AND_WALES | 2026-12-21 | 2026-11-22 | false |
            ENGLAND_AND_WALES | 2026-12-24 | 2026-11-23 | true  | DAY_BEFORE_PUBLIC_HOLIDAY
            ENGLAND_AND_WALES | 2026-04-02 | 2026-03-01 | true  | DAY_BEFORE_PUBLIC_HOLIDAY
            ENGLAND_AND_WALES | 2026-04-03 | 2026-03-01 | true  | FRIDAY_RELEASE DAY_BEFORE_PUBLIC_HOLIDAY
            SCOTLAND          | 2026-04-03 | 2026-03-01 | true  | FRIDAY_RELEASE
            ENGLAND_AND_WALES | 2026-08-28 | 2026-08-01 | true  | FRIDAY_RELEASE DAY_BEFORE_PUBLIC_HOLIDAY
            SCOTLAND          | 2026-08-28 | 2026-08-01 | true  | FRIDAY_RELEASE
            SCOTLAND          | 2026-11-27 | 2026-11-01 | true  | FRIDAY_RELEASE DAY_BEFORE_PUBLIC_HOLIDAY
            ENGLAND_AND_WALES | 2026-11-27 | 2026-11-01 | true  | FRIDAY_RELEASE
            SCOTLAND          | 2026-12-31 | 2026-12-01 | true  | DAY_BEFORE_PUBLIC_HOLIDAY
            ENGLAND_AND_WALES | 2026-11-20 | 2026-11-23 | false |
            """)
    void alerts(Jurisdiction j, LocalDate release, LocalDate today, boolean secured, String expected) {
        List<ReleaseAlert> want = expected == null ? List.of()
                : java.util.Arrays.stream(expected.split(" ")).map(ReleaseAlert::valueOf).toList();
        assertThat(ReleaseAlert.of(plan(release, j, secured), today, 28)).containsExactlyElementsOf(want);
    }
}
