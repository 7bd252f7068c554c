package bridge.housing.domain;

import bridge.support.calendar.Jurisdiction;
import bridge.support.errors.Violations;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** What a release plan and secured accommodation must satisfy. Field paths are the contract's names. */
public final class ReleasePlanRules {

    static final int MAX_NOTE_LENGTH = 2000;
    static final int MAX_NAME_LENGTH = 200;
    /** Sentences longer than this exist, but a plan this far out is a typo, not a plan. */
    static final int MAX_YEARS_AHEAD = 30;
    static final Pattern GSS_CODE = Pattern.compile("[ENSW][0-9]{8}");
    static final Pattern REFERRAL = Pattern.compile("referrals/[A-Za-z0-9_-]{1,64}");
    /** Not accommodation one can secure for someone. */
    static final Set<HousingStatus> NOT_ACCOMMODATION = EnumSet.of(HousingStatus.ROUGH_SLEEPING,
            HousingStatus.NO_FIXED_ABODE, HousingStatus.IN_CUSTODY);

    private ReleasePlanRules() {
    }

    /**
     * @param today the partnership's calendar date; a new plan's release date must be after it.
     *              A null release date is reported by the adapter (missing or impossible).
     */
    public static void validate(NewReleasePlan p, LocalDate today, Violations v) {
        String at = "release_plan.";
        if (p.releaseDate() != null) {
            if (!p.releaseDate().isAfter(today)) {
                v.add(at + "release_date", "must be in the future for a new plan (today is " + today + ")");
            } else if (p.releaseDate().isAfter(today.plusYears(MAX_YEARS_AHEAD))) {
                v.add(at + "release_date", "is more than " + MAX_YEARS_AHEAD + " years ahead");
            }
        }
        String code = p.localAuthorityCode() == null ? "" : p.localAuthorityCode();
        if (!code.isEmpty() && !GSS_CODE.matcher(code).matches()) {
            v.add(at + "local_authority_code", "must be an ONS GSS code such as E08000035");
        } else if (code.isEmpty() && p.jurisdiction() == null) {
            v.add(at + "jurisdiction", "is required when local_authority_code is not given");
        } else if (!code.isEmpty() && p.jurisdiction() != null
                && Jurisdiction.ofAuthorityCode(code).map(j -> j != p.jurisdiction()).orElse(false)) {
            v.add(at + "jurisdiction", "does not match local_authority_code " + code);
        } else if (!code.isEmpty() && p.jurisdiction() == null && Jurisdiction.ofAuthorityCode(code).isEmpty()) {
            v.add(at + "jurisdiction", "is required: no bank-holiday calendar is known for " + code);
        }
        if (p.referral() != null && !p.referral().isEmpty() && !REFERRAL.matcher(p.referral()).matches()) {
            v.add(at + "referral", "must be a referral name (referrals/{referral})");
        }
        text(p.releasingEstablishment(), MAX_NAME_LENGTH, at + "releasing_establishment", v);
        text(p.note(), MAX_NOTE_LENGTH, at + "note", v);
    }

    public static void validate(NewAccommodation a, Violations v) {
        String at = "accommodation.";
        if (a.type() == null) {
            v.add(at + "type", "is required");
        } else if (NOT_ACCOMMODATION.contains(a.type())) {
            v.add(at + "type", "must be somewhere to live (not " + a.type() + ")");
        }
        if (a.securedBy() == null || a.securedBy().isBlank()) {
            v.add(at + "secured_by", "is required");
        } else {
            text(a.securedBy(), MAX_NAME_LENGTH, at + "secured_by", v);
        }
        text(a.note(), MAX_NOTE_LENGTH, at + "note", v);
    }

    private static void text(String s, int max, String field, Violations v) {
        if (s == null) {
            return;
        }
        if (s.codePointCount(0, s.length()) > max) {
            v.add(field, "at most " + max + " characters");
        } else if (s.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            v.add(field, "must not contain control characters");
        }
    }
}
