package bridge.consent.domain;

/** Why information is shared. */
public enum Purpose { DIRECT_SUPPORT, REFERRAL, RISK_MANAGEMENT }
