package bridge.consent.domain;

/**
 * Where a legal basis stands in the data-protection officer's review. PENDING_REVIEW and UPHELD
 * allow (break glass works at once); REVOKED never allows again.
 */
public enum ReviewState { PENDING_REVIEW, UPHELD, REVOKED }
