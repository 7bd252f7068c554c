package bridge.referrals.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/**
 * One agency's request that another take the person on.
 *
 * @param requester       who sent it, for which agency (from the caller's token)
 * @param performerAgency the agency asked to take the person on
 * @param version         1 when sent; every transition adds one (the etag)
 */
public record Referral(String id, String personId, Pathway pathway, Actor requester, String performerAgency,
                       ReferralStatus status, String reason, Instant createdAt, Instant updatedAt, long version) {

    public Referral {
        reason = reason == null ? "" : reason;
    }

    /** The sending and the receiving agency see a referral without a consent decision; anyone else needs one. */
    public boolean isVisibleTo(String agency) {
        return requester.agency().equals(agency) || performerAgency.equals(agency);
    }
}
