package bridge.referrals.domain;

/**
 * What happened to referrals, for whoever counts or forwards it (Micrometer counters in config).
 * Called after the write succeeded; an implementation must not throw.
 */
public interface ReferralEvents {

    ReferralEvents NONE = new ReferralEvents() {
    };

    /** A new referral was stored (not called for a retried create). */
    default void sent(Referral referral) {
    }

    /** A transition was stored. */
    default void moved(Referral after, HistoryEntry entry) {
    }

    /** An appointment was recorded (and maybe steps raised). */
    default void appointmentRecorded(Referral before, Referral after) {
    }
}
