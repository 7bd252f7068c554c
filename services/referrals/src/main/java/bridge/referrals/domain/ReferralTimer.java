package bridge.referrals.domain;

/** The timers each pathway sets on a referral. */
public enum ReferralTimer {
    /** Acknowledge (or accept, or reject) within N working days of sending: runs while REQUESTED. */
    ACKNOWLEDGE,
    /**
     * First appointment within M days of sending: runs until the receiver starts the referral
     * (in-progress), i.e. while REQUESTED, RECEIVED or ACCEPTED.
     */
    FIRST_APPOINTMENT
}
