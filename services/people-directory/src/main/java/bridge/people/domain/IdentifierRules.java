package bridge.people.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Normalises identifiers (spaces and dashes removed, upper case) and checks each scheme's rule.
 * Returns the rule broken, in words, or empty when the identifier is valid.
 */
public final class IdentifierRules {

    private static final Pattern TEN_DIGITS = Pattern.compile("\\d{10}");
    // HMRC: prefixes BG, GB, NK, KN, TN, NT, ZZ are never issued; D, F, I, Q, U, V never used; O never second.
    private static final Pattern NINO = Pattern.compile(
            "(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\\d{6}[A-D]");
    private static final Pattern PNC = Pattern.compile("(\\d{2}|\\d{4})/\\d{1,7}[A-Z]");
    private static final Pattern PRISON_NUMBER = Pattern.compile("[A-Z]\\d{4}[A-Z]{2}");
    private static final Pattern CRO = Pattern.compile("(\\d{1,6}/\\d{2}[A-Z]|SF\\d{2}/\\d{1,6}[A-Z])");
    private static final Pattern CASE_REFERENCE = Pattern.compile("[A-Z0-9][A-Z0-9/_.\\-]{0,63}");

    private IdentifierRules() {
    }

    public static String normalise(IdentifierType type, String raw) {
        String v = raw == null ? "" : raw.strip().toUpperCase(Locale.ROOT);
        return switch (type) {
            case NHS_NUMBER, CHI_NUMBER, NATIONAL_INSURANCE_NUMBER, PRISON_NUMBER -> v.replaceAll("[\\s\\-]", "");
            default -> v.replaceAll("\\s", "");
        };
    }

    /** The rule a normalised value breaks, if any. */
    public static Optional<String> brokenRule(IdentifierType type, String v) {
        return switch (type) {
            case NHS_NUMBER -> !TEN_DIGITS.matcher(v).matches()
                    ? Optional.of("an NHS number has 10 digits")
                    : mod11Ok(v) ? Optional.empty() : Optional.of("the NHS number's modulus-11 check digit does not match");
            case CHI_NUMBER -> !TEN_DIGITS.matcher(v).matches()
                    ? Optional.of("a CHI number has 10 digits")
                    : !dobPrefixOk(v) ? Optional.of("a CHI number starts with a date of birth DDMMYY")
                    : mod11Ok(v) ? Optional.empty() : Optional.of("the CHI number's modulus-11 check digit does not match");
            case NATIONAL_INSURANCE_NUMBER -> NINO.matcher(v).matches() ? Optional.empty()
                    : Optional.of("a National Insurance number is two letters (not a disallowed prefix), six digits and A-D");
            case PNC_ID -> PNC.matcher(v).matches() ? Optional.empty()
                    : Optional.of("a PNC ID is YY/NNNNNNNA (year, serial, check letter)");
            case PRISON_NUMBER -> PRISON_NUMBER.matcher(v).matches() ? Optional.empty()
                    : Optional.of("a prison number (NOMIS) is a letter, four digits and two letters, e.g. A1234BC");
            case CRO_NUMBER -> CRO.matcher(v).matches() ? Optional.empty()
                    : Optional.of("a CRO number is NNNNNN/YYA or SFYY/NNNNNNA");
            case AGENCY_CASE_REFERENCE -> CASE_REFERENCE.matcher(v).matches() ? Optional.empty()
                    : Optional.of("a case reference is 1-64 letters, digits or / _ . -");
        };
    }

    /** NHS and CHI numbers: weights 10..2 over the first nine digits; 11 - (sum mod 11), 11 means 0, 10 is never valid. */
    static boolean mod11Ok(String digits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == digits.charAt(9) - '0';
    }

    private static boolean dobPrefixOk(String v) {
        try {
            int day = Integer.parseInt(v.substring(0, 2));
            int month = Integer.parseInt(v.substring(2, 4));
            // the century is not in the number; 2000 is a leap year, so 29 Feb always passes here
            LocalDate.of(2000, month, day);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
