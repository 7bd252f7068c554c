package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifierRulesTest {

    /** Known-valid and known-invalid values per scheme; {@code rule} is a fragment of the message for invalid ones. */
    @ParameterizedTest(name = "{0} {1} -> valid={2}")
    @CsvSource(delimiter = '|', value = {
            "NHS_NUMBER | 943 476 5919 | true |",
            "NHS_NUMBER | 943-476-5919 | true |",
            "NHS_NUMBER | 9434765918 | false | check digit",
            "NHS_NUMBER | 943476591 | false | 10 digits",
            "CHI_NUMBER | 0101011237 | true |",
            "CHI_NUMBER | 150690 2340 | true |",
            "CHI_NUMBER | 2902961235 | true |",
            "CHI_NUMBER | 0101011236 | false | check digit",
            "CHI_NUMBER | 3202011234 | false | date of birth",
            "CHI_NUMBER | 0113011234 | false | date of birth",
            "CHI_NUMBER | 01010112 | false | 10 digits",
            "NATIONAL_INSURANCE_NUMBER | ab 12 34 56 c | true |",
            "NATIONAL_INSURANCE_NUMBER | OA123456D | true |",
            "NATIONAL_INSURANCE_NUMBER | GB123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | BG123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | NK123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | KN123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | TN123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | NT123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | ZZ123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | QQ123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | DA123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | AO123456A | false | disallowed prefix",
            "NATIONAL_INSURANCE_NUMBER | AB123456E | false | A-D",
            "NATIONAL_INSURANCE_NUMBER | AB12345C | false | six digits",
            "PRISON_NUMBER | a1234bc | true |",
            "PRISON_NUMBER | A 1234 BC | true |",
            "PRISON_NUMBER | 1234ABC | false | NOMIS",
            "PRISON_NUMBER | A12345C | false | NOMIS",
            "PNC_ID | 01/123456F | true |",
            "PNC_ID | 2001/0123456F | true |",
            "PNC_ID | 010123456f | true |",
            "PNC_ID | 79/1234T | true |",
            "PNC_ID | 12/345678U | true |",
            "PNC_ID | 01/123456A | false | check letter",
            "PNC_ID | 2001/0123456G | false | check letter",
            "PNC_ID | 01/12345678F | false | YY/NNNNNNNA",
            "PNC_ID | 001/123456F | false | YY/NNNNNNNA",
            "CRO_NUMBER | 123456/01X | true |",
            "CRO_NUMBER | 65/97C | true |",
            "CRO_NUMBER | SF93/12345N | true |",
            "CRO_NUMBER | 123456/01A | false | check letter",
            "CRO_NUMBER | SF93/12345M | false | check letter",
            "CRO_NUMBER | 1234567/01X | false | NNNNNN/YYA",
            "AGENCY_CASE_REFERENCE | CASE-2026/17 | true |",
            "AGENCY_CASE_REFERENCE | !bad | false | case reference",
    })
    void checksEachScheme(IdentifierType type, String raw, boolean valid, String rule) {
        String normalised = IdentifierRules.normalise(type, raw);
        var broken = IdentifierRules.brokenRule(type, normalised);
        assertThat(broken.isEmpty()).as(String.valueOf(broken)).isEqualTo(valid);
        if (!valid) {
            assertThat(broken.get()).containsIgnoringCase(rule);
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "PNC_ID | 2001/0123456F | 01/0123456F",
            "PNC_ID | 01/123456f | 01/0123456F",
            "PNC_ID | 1979 / 1234T | 79/0001234T",
            "NHS_NUMBER | 943 476 5919 | 9434765919",
            "NATIONAL_INSURANCE_NUMBER | ab 12 34 56 c | AB123456C",
            "CRO_NUMBER | sf93/12345n | SF93/12345N",
    })
    void normalisesFormattingVariants(IdentifierType type, String raw, String expected) {
        assertThat(IdentifierRules.normalise(type, raw)).isEqualTo(expected);
    }
}
