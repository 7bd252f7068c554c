package bridge.consent.domain;

/** Why a decision denies (Decision.deny_reason in the contract). */
public enum DenyReason {
    /** Nothing allows: no consent in force and no active legal basis for this caller, category and purpose. */
    NO_CONSENT,
    /** The caller is a platform operator: they see no personal data, whatever is recorded. */
    PLATFORM_SEES_NO_PERSONAL_DATA,
    /**
     * Health or treatment data asked for by the police: only a consent naming the category and that
     * police agency explicitly (or an active legal basis) allows it.
     */
    HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT
}
