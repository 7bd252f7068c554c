package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifierRulesTest {

    @ParameterizedTest(name = "{0} {1} -> valid={2}")
    @CsvSource({
            "NHS_NUMBER, 943 476 5919, true",
            "NHS_NUMBER, 9434765918, false",
            "NHS_NUMBER, 943476591, false",
            "CHI_NUMBER, 0101011237, true",
            "CHI_NUMBER, 3202011234, false",
            "NATIONAL_INSURANCE_NUMBER, ab 12 34 56 c, true",
            "NATIONAL_INSURANCE_NUMBER, GB123456A, false",
            "NATIONAL_INSURANCE_NUMBER, QQ123456A, false",
            "PRISON_NUMBER, a1234bc, true",
            "PRISON_NUMBER, 1234ABC, false",
            "PNC_ID, 01/123456A, true",
            "CRO_NUMBER, 123456/01A, true",
            "AGENCY_CASE_REFERENCE, CASE-2026/17, true",
    })
    void checksEachScheme(IdentifierType type, String raw, boolean valid) {
        String normalised = IdentifierRules.normalise(type, raw);
        assertThat(IdentifierRules.brokenRule(type, normalised).isEmpty()).isEqualTo(valid);
    }
}
