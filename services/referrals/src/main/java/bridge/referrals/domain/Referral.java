package bridge.referrals.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.util.List;

/**
 * One agency's request that another take the person on.
 *
 * @param requester       who sent it, for which agency (from the caller's token)
 * @param performerAgency the agency asked to take the person on
 * @param version         1 when sent; every transition adds one (the etag)
 * @param history         every transition since it was sent, oldest first
 */
public record Referral(String id, String personId, Pathway pathway, Actor requester, String performerAgency,
                       ReferralStatus status, String reason, Instant createdAt, Instant updatedAt, long version,
                       List<HistoryEntry> history) {

    public Referral {
        reason = reason == null ? "" : reason;
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A referral without transitions yet. */
    public Referral(String id, String personId, Pathway pathway, Actor requester, String performerAgency,
                    ReferralStatus status, String reason, Instant createdAt, Instant updatedAt, long version) {
        this(id, personId, pathway, requester, performerAgency, status, reason, createdAt, updatedAt, version, List.of());
    }

    /** The etag callers pass back to change it: a weak validator over the version. */
    public String etag() {
        return "W/\"" + version + "\"";
    }

    /** Whether the agency is the party that may make transitions of that kind. */
    public boolean isParty(String agency, Transition.Party party) {
        return switch (party) {
            case SENDER -> requester.agency().equals(agency);
            case RECEIVER -> performerAgency.equals(agency);
        };
    }

    /** This referral after the transition: status, time and version move on, the entry is appended. */
    public Referral after(HistoryEntry entry) {
        List<HistoryEntry> h = new java.util.ArrayList<>(history);
        h.add(entry);
        return new Referral(id, personId, pathway, requester, performerAgency, entry.status(), reason, createdAt,
                entry.at(), version + 1, h);
    }

    /** The sending and the receiving agency see a referral without a consent decision; anyone else needs one. */
    public boolean isVisibleTo(String agency) {
        return requester.agency().equals(agency) || performerAgency.equals(agency);
    }
}
