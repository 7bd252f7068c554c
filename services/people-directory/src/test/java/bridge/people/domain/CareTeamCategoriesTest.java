package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.consent.DataCategory;
import bridge.support.identity.AgencyType;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** What a care-team entry reveals, agency type by agency type: the table of the issue, stated again here. */
class CareTeamCategoriesTest {

    @ParameterizedTest(name = "{0} reveals {1}")
    @CsvSource({
            "POLICE,       JUSTICE",
            "PROBATION,    JUSTICE",
            "PRISON,       JUSTICE",
            "COURT,        JUSTICE",
            "TREATMENT,    SUBSTANCE_USE",
            "HEALTH,       MENTAL_HEALTH PHYSICAL_HEALTH",
            "HOUSING,      HOUSING",
            "BENEFITS,     BENEFITS",
            "PEER_SUPPORT, SUBSTANCE_USE",
            "SOCIAL_CARE,  FAMILY",
            "PLATFORM,     IDENTITY",
    })
    void eachAgencyTypeRevealsItsCategories(AgencyType type, String categories) {
        Set<DataCategory> expected = EnumSet.noneOf(DataCategory.class);
        for (String c : categories.split(" ")) {
            expected.add(DataCategory.valueOf(c));
        }
        assertThat(CareTeamCategories.revealedBy(type)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(AgencyType.class)
    void everyAgencyTypeRevealsSomethingAndReadsAskAboutAllOfIt(AgencyType type) {
        assertThat(CareTeamCategories.revealedBy(type)).isNotEmpty();
        if (type != AgencyType.PLATFORM) {
            assertThat(CareTeamCategories.all()).containsAll(CareTeamCategories.revealedBy(type));
        }
    }
}
