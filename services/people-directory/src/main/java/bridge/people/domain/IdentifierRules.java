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
    // Normalised form YY/NNNNNNNA (see normalise); the raw form may have a 4-digit year, no slash, a short serial.
    private static final Pattern PNC = Pattern.compile("\\d{2}/\\d{7}[A-Z]");
    private static final Pattern PNC_RAW = Pattern.compile("(\\d{2}|\\d{4})/?(\\d{1,7})([A-Z])");
    /** Check letters of PNC ID and CRO number: index = number mod 23 (I, O, S omitted). */
    static final String CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY";
    private static final Pattern PRISON_NUMBER = Pattern.compile("[A-Z]\\d{4}[A-Z]{2}");
    private static final Pattern CRO = Pattern.compile("(\\d{1,6})/(\\d{2})([A-Z])");
    private static final Pattern CRO_SF = Pattern.compile("SF(\\d{2})/(\\d{1,6})([A-Z])");
    private static final Pattern CASE_REFERENCE = Pattern.compile("[A-Z0-9][A-Z0-9/_.\\-]{0,63}");

    private IdentifierRules() {
    }

    public static String normalise(IdentifierType type, String raw) {
        String v = raw == null ? "" : raw.strip().toUpperCase(Locale.ROOT);
        return switch (type) {
            case NHS_NUMBER, CHI_NUMBER, NATIONAL_INSURANCE_NUMBER, PRISON_NUMBER -> v.replaceAll("[\\s\\-]", "");
            case PNC_ID -> normalisePnc(v.replaceAll("[\\s\\-]", ""));
            default -> v.replaceAll("\\s", "");
        };
    }

    /**
     * PNC IDs are written YY/NNNNNNNA, YYYY/NNNNNNNA, with or without the slash and with the serial's
     * leading zeros dropped; all of them are stored as YY/NNNNNNNA (2-digit year, 7-digit serial).
     * The check letter depends only on the last two year digits, so dropping the century loses nothing
     * the check could verify. Values that do not have the shape are left as they are (and refused).
     */
    private static String normalisePnc(String v) {
        var m = PNC_RAW.matcher(v);
        if (!m.matches()) {
            return v;
        }
        String year = m.group(1);
        String yy = year.substring(year.length() - 2);
        return yy + "/" + "0".repeat(7 - m.group(2).length()) + m.group(2) + m.group(3);
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
            case NATIONAL_INSURANCE_NUMBER -> !v.matches("[A-Z]{2}\\d{6}[A-Z]")
                    ? Optional.of("a National Insurance number is two letters, six digits and a final letter A-D")
                    : !NINO.matcher(v.substring(0, 2) + "000000A").matches()
                    ? Optional.of("the National Insurance number prefix " + v.substring(0, 2) + " is a disallowed prefix"
                            + " (BG, GB, NK, KN, TN, NT, ZZ; no D, F, I, Q, U, V; no O second)")
                    : v.charAt(8) > 'D' ? Optional.of("the National Insurance number's final letter is A-D")
                    : Optional.empty();
            case PNC_ID -> !PNC.matcher(v).matches()
                    ? Optional.of("a PNC ID is YY/NNNNNNNA or YYYY/NNNNNNNA (year, serial of up to 7 digits, check letter)")
                    : checkLetter(v.substring(0, 2) + v.substring(3, 10)) == v.charAt(10) ? Optional.empty()
                    : Optional.of("the PNC ID's check letter does not match (year digits and 7-digit serial, modulus 23)");
            case PRISON_NUMBER -> PRISON_NUMBER.matcher(v).matches() ? Optional.empty()
                    : Optional.of("a prison number (NOMIS) is a letter, four digits and two letters, e.g. A1234BC");
            case CRO_NUMBER -> croRule(v);
            case AGENCY_CASE_REFERENCE -> CASE_REFERENCE.matcher(v).matches() ? Optional.empty()
                    : Optional.of("a case reference is 1-64 letters, digits or / _ . -");
        };
    }

    /**
     * CRO numbers: NNNNNN/YYA (serial up to 6 digits, year, check letter) for records from 1995 on the
     * CRO system, SFYY/NNNNNNA for fingerprint-only records. The check letter is
     * {@link #CHECK_LETTERS}[(YY followed by the serial) mod 23]; the serial is zero-padded to six digits
     * in the standard form and taken as written in the SF form.
     */
    private static Optional<String> croRule(String v) {
        var std = CRO.matcher(v);
        if (std.matches()) {
            String serial = "0".repeat(6 - std.group(1).length()) + std.group(1);
            return checkLetter(std.group(2) + serial) == std.group(3).charAt(0) ? Optional.empty()
                    : Optional.of("the CRO number's check letter does not match (year digits and serial, modulus 23)");
        }
        var sf = CRO_SF.matcher(v);
        if (sf.matches()) {
            return checkLetter(sf.group(1) + sf.group(2)) == sf.group(3).charAt(0) ? Optional.empty()
                    : Optional.of("the CRO number's check letter does not match (year digits and serial, modulus 23)");
        }
        return Optional.of("a CRO number is NNNNNN/YYA or SFYY/NNNNNNA");
    }

    /** The PNC/CRO check letter of a string of digits. */
    static char checkLetter(String digits) {
        return CHECK_LETTERS.charAt((int) (Long.parseLong(digits) % CHECK_LETTERS.length()));
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
