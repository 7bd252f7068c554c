package bridge.people.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.people.domain.IdentifierRules;
import bridge.people.domain.IdentifierType;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fuzzes every identifier validator of the directory ({@link IdentifierRules#normalise} and
 * {@link IdentifierRules#brokenRule} for each {@link IdentifierType}) with arbitrary text: no input
 * throws (a throw would be a 500 instead of a field violation) or hangs, an accepted identifier
 * normalises to itself (what is stored is found again by a look-up), and whatever is accepted is
 * plain ASCII in the scheme's canonical shape, with the check digit or letter right by an
 * independent computation.
 *
 * <p>Found by fuzzing (input {@code crash-cc86c8db...} in the corpus): normalising is not idempotent
 * for some refused input — {@code strip()} removes control characters such as U+001F at the ends,
 * and removing dashes afterwards can bring one to an end ("-\u001FA" → "\u001FA" → "A"). Harmless,
 * because such values are refused and never stored, so the property is asserted for accepted values.
 *
 * <p>The normal test run replays the committed corpus
 * ({@code src/test/resources/bridge/people/fuzz/IdentifierRulesFuzzTestInputs/}); {@code JAZZER_FUZZ=1}
 * fuzzes (docs/reliability.md).
 */
class IdentifierRulesFuzzTest {

    static final Pattern CANONICAL_NHS_CHI = Pattern.compile("[0-9]{10}");
    static final Pattern CANONICAL_NINO = Pattern.compile("[A-Z]{2}[0-9]{6}[A-D]");
    static final Pattern CANONICAL_PNC = Pattern.compile("[0-9]{2}/[0-9]{7}[A-Z]");
    static final Pattern CANONICAL_PRISON = Pattern.compile("[A-Z][0-9]{4}[A-Z]{2}");
    static final Pattern CANONICAL_CRO = Pattern.compile("[0-9]{1,6}/[0-9]{2}[A-Z]|SF[0-9]{2}/[0-9]{1,6}[A-Z]");
    static final Pattern CANONICAL_CASE_REFERENCE = Pattern.compile("[A-Z0-9][A-Z0-9/_.\\-]{0,63}");
    static final String CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY";

    @FuzzTest(maxDuration = "30s")
    void everyValidatorTakesAnyTextSafely(FuzzedDataProvider data) {
        IdentifierType type = data.pickValue(IdentifierType.values());
        String raw = data.consumeRemainingAsString();

        String normalised = IdentifierRules.normalise(type, raw);
        Optional<String> broken = IdentifierRules.brokenRule(type, normalised);

        if (broken.isEmpty()) {
            assertThat(IdentifierRules.normalise(type, normalised)).as("an accepted identifier normalises to itself")
                    .isEqualTo(normalised);
            assertThat(normalised).as("accepted identifiers are ASCII").matches("\\p{ASCII}*");
            assertCanonical(type, normalised);
        } else {
            assertThat(broken.get()).isNotBlank();
        }
    }

    private static void assertCanonical(IdentifierType type, String v) {
        switch (type) {
            case NHS_NUMBER, CHI_NUMBER -> {
                assertThat(v).matches(CANONICAL_NHS_CHI);
                int sum = 0;
                for (int i = 0; i < 9; i++) {
                    sum += Character.digit(v.charAt(i), 10) * (10 - i);
                }
                int check = (11 - sum % 11) % 11;
                assertThat(check).isNotEqualTo(10).isEqualTo(Character.digit(v.charAt(9), 10));
            }
            case NATIONAL_INSURANCE_NUMBER -> {
                assertThat(v).matches(CANONICAL_NINO);
                assertThat(v.substring(0, 2)).isNotIn("BG", "GB", "NK", "KN", "TN", "NT", "ZZ");
                assertThat(v.charAt(0)).isNotIn('D', 'F', 'I', 'Q', 'U', 'V');
                assertThat(v.charAt(1)).isNotIn('D', 'F', 'I', 'Q', 'U', 'V', 'O');
            }
            case PNC_ID -> {
                assertThat(v).matches(CANONICAL_PNC);
                long n = Long.parseLong(v.substring(0, 2) + v.substring(3, 10));
                assertThat(v.charAt(10)).isEqualTo(CHECK_LETTERS.charAt((int) (n % 23)));
            }
            case PRISON_NUMBER -> assertThat(v).matches(CANONICAL_PRISON);
            case CRO_NUMBER -> assertThat(v).matches(CANONICAL_CRO);
            case AGENCY_CASE_REFERENCE -> assertThat(v).matches(CANONICAL_CASE_REFERENCE);
        }
    }
}
