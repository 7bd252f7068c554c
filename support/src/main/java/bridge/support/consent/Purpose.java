package bridge.support.consent;

/** Why information is shared. */
public enum Purpose {
    DIRECT_SUPPORT, REFERRAL, RISK_MANAGEMENT
}
