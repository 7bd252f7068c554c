package bridge.consent.domain;

/** The data-protection officer's verdict on a legal basis. */
public enum ReviewOutcome { UPHOLD, REVOKE }
