package bridge.housing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenancyAtRiskTest {

    private static List<HousingSituation> newestFirst(String statuses) {
        if (statuses == null) {
            return List.of();
        }
        LocalDate[] day = {LocalDate.of(2026, 11, 1)};
        return Arrays.stream(statuses.split(" ")).map(s -> {
            day[0] = day[0].minusDays(30);
            return new HousingSituation(s, "p", HousingStatus.valueOf(s), day[0], "", "",
                    new Actor("x", "a", AgencyType.TREATMENT), Instant.EPOCH, 1);
        }).toList();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            IN_RESIDENTIAL_REHAB SETTLED_TENANCY       | true
            IN_RESIDENTIAL_REHAB HOUSING_FIRST_TENANCY | true
            IN_RESIDENTIAL_REHAB HOSTEL                | false
            SETTLED_TENANCY IN_RESIDENTIAL_REHAB       | false
            IN_RESIDENTIAL_REHAB                       | false
                                                       | false
            """)
    void flagsATenancyLeftForRehab(String statuses, boolean atRisk) {
        assertThat(HousingHistory.tenancyAtRisk(newestFirst(statuses))).isEqualTo(atRisk);
    }
}
