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
            v.add(at + "pathway", "is required: one of the pathways the contract names (unknown values are refused)");
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

    /**
     * What a transition request must satisfy: an etag, and a reason (code, and text for OTHER; text
     * at most 2000 characters) where the transition needs one. Field paths are the request's.
     */
    public static void validateTransition(Transition t, String etag, StatusReason reason, Violations v) {
        if (etag == null || etag.isBlank()) {
            v.add("etag", "is required: pass the etag of the referral as you read it");
        }
        if (!t.needsReason()) {
            return;
        }
        if (reason == null || reason.code() == null) {
            v.add("reason.code", "is required to " + t.verb() + " a referral");
        } else if (reason.code() == StatusReasonCode.OTHER && reason.text().isBlank()) {
            v.add("reason.text", "is required when the code is OTHER");
        }
        if (reason != null && reason.text().codePointCount(0, reason.text().length()) > MAX_REASON_LENGTH) {
            v.add("reason.text", "at most " + MAX_REASON_LENGTH + " characters");
        } else if (reason != null && reason.text().chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            v.add("reason.text", "must not contain control characters");
        }
    }
}
