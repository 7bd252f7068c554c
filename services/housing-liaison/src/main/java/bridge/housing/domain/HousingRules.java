package bridge.housing.domain;

import bridge.support.errors.Violations;
import java.time.LocalDate;

/**
 * What a housing situation must satisfy. Field paths are the contract's names, relative to the
 * situation ({@code prefix} is where it sits in the request, e.g. "housing_situation").
 */
public final class HousingRules {

    static final int MAX_NOTE_LENGTH = 2000;
    static final int MAX_LOCAL_AUTHORITY_LENGTH = 200;
    static final LocalDate EARLIEST_START = LocalDate.of(1900, 1, 1);

    private HousingRules() {
    }

    /**
     * @param today the partnership's calendar date now; a situation cannot start after it. A null
     *              start date is not reported here: the adapter reports it as missing or impossible.
     */
    public static void validate(NewHousingSituation s, LocalDate today, String prefix, Violations v) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        if (s.status() == null) {
            v.add(at + "status", "is required");
        }
        if (s.startDate() != null) {
            if (s.startDate().isAfter(today)) {
                v.add(at + "start_date", "is in the future (record a plan, not a situation)");
            } else if (s.startDate().isBefore(EARLIEST_START)) {
                v.add(at + "start_date", "is before " + EARLIEST_START);
            }
        }
        if (length(s.localAuthority()) > MAX_LOCAL_AUTHORITY_LENGTH) {
            v.add(at + "local_authority", "at most " + MAX_LOCAL_AUTHORITY_LENGTH + " characters");
        } else if (s.localAuthority() != null && s.localAuthority().chars().anyMatch(Character::isISOControl)) {
            v.add(at + "local_authority", "must not contain control characters");
        }
        if (length(s.note()) > MAX_NOTE_LENGTH) {
            v.add(at + "note", "at most " + MAX_NOTE_LENGTH + " characters");
        }
    }

    private static int length(String s) {
        return s == null ? 0 : s.codePointCount(0, s.length());
    }
}
