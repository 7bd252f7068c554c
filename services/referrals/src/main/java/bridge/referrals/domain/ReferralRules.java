package bridge.referrals.domain;

import bridge.support.errors.Violations;

/**
 * What a new referral must satisfy. Field paths are the contract's names, relative to the referral
 * ({@code prefix} is where it sits in the request, e.g. "referral").
 */
public final class ReferralRules {

    static final int MAX_AGENCY_LENGTH = 100;
    static final int MAX_REASON_LENGTH = 2000;

    private ReferralRules() {
    }

    /** @param callerAgency the sending agency, which cannot refer to itself */
    public static void validate(NewReferral r, String callerAgency, String prefix, Violations v) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        if (r.pathway() == null) {
            v.add(at + "pathway", "is required");
        }
        String performer = r.performerAgency();
        if (performer == null || performer.isBlank()) {
            v.add(at + "performer_agency", "is required");
        } else if (performer.strip().length() > MAX_AGENCY_LENGTH) {
            v.add(at + "performer_agency", "at most " + MAX_AGENCY_LENGTH + " characters");
        } else if (performer.chars().anyMatch(Character::isISOControl)) {
            v.add(at + "performer_agency", "must not contain control characters");
        } else if (performer.strip().equals(callerAgency)) {
            v.add(at + "performer_agency", "must be another agency than the sender's own");
        }
        if (r.reason() != null && r.reason().codePointCount(0, r.reason().length()) > MAX_REASON_LENGTH) {
            v.add(at + "reason", "at most " + MAX_REASON_LENGTH + " characters");
        }
    }
}
