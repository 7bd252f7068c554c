package bridge.referrals.domain;

/**
 * What happened to referrals, for whoever counts or forwards it (Micrometer counters, webhook
 * deliveries). Called after the write succeeded. An exception fails the request (the write stays):
 * a retried create calls {@link #retried}, and the webhook scan re-enqueues what a failed request left out.
 */
public interface ReferralEvents {

    ReferralEvents NONE = new ReferralEvents() {
    };

    /** A new referral was stored (not called for a retried create). */
    default void sent(Referral referral) {
    }

    /** A retried create found the referral stored by an earlier attempt. */
    default void retried(Referral referral) {
    }

    /** Both, in order. */
    static ReferralEvents both(ReferralEvents first, ReferralEvents second) {
        return new ReferralEvents() {
            @Override
            public void sent(Referral r) {
                first.sent(r);
                second.sent(r);
            }

            @Override
            public void retried(Referral r) {
                first.retried(r);
                second.retried(r);
            }

            @Override
            public void moved(Referral after, HistoryEntry entry) {
                first.moved(after, entry);
                second.moved(after, entry);
            }

            @Override
            public void appointmentRecorded(Referral before, Referral after) {
                first.appointmentRecorded(before, after);
                second.appointmentRecorded(before, after);
            }
        };
    }

    /** A transition was stored. */
    default void moved(Referral after, HistoryEntry entry) {
    }

    /** An appointment was recorded (and maybe steps raised). */
    default void appointmentRecorded(Referral before, Referral after) {
    }
}
