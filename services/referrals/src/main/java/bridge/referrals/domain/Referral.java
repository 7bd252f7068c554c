package bridge.referrals.domain;

import bridge.support.consent.DataCategory;
import bridge.support.identity.Actor;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One agency's request that another take the person on.
 *
 * @param requester       who sent it, for which agency (from the caller's token)
 * @param performerAgency the agency asked to take the person on
 * @param version         1 when sent; every transition adds one (the etag)
 * @param history         every transition since it was sent, oldest first
 * @param details         the pathway's own data; null only when withheld from the reader
 * @param engagement      appointments, disengagement plan and raised re-engagement steps
 * @param withheld        categories withheld from this reader (never stored): the reason and the
 *                        pathway's data are left out when any of the pathway's categories is here
 * @param handover        the hand-over to a liaison service; null on pathways that are not handed over
 *                        (and for a reader from whom the pathway's data is withheld)
 */
public record Referral(String id, String personId, Pathway pathway, Actor requester, String performerAgency,
                       ReferralStatus status, String reason, Instant createdAt, Instant updatedAt, long version,
                       List<HistoryEntry> history, PathwayDetails details, Engagement engagement,
                       Set<DataCategory> withheld, Handover handover) {

    public Referral(String id, String personId, Pathway pathway, Actor requester, String performerAgency,
                    ReferralStatus status, String reason, Instant createdAt, Instant updatedAt, long version,
                    List<HistoryEntry> history, PathwayDetails details, Engagement engagement, Set<DataCategory> withheld) {
        this(id, personId, pathway, requester, performerAgency, status, reason, createdAt, updatedAt, version, history,
                details, engagement, withheld, null);
    }

    public Referral {
        reason = reason == null ? "" : reason;
        history = history == null ? List.of() : List.copyOf(history);
        engagement = engagement == null ? Engagement.of(null) : engagement;
        withheld = withheld == null || withheld.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(withheld));
    }

    public Referral(String id, String personId, Pathway pathway, Actor requester, String performerAgency,
                    ReferralStatus status, String reason, Instant createdAt, Instant updatedAt, long version,
                    List<HistoryEntry> history) {
        this(id, personId, pathway, requester, performerAgency, status, reason, createdAt, updatedAt, version, history,
                null, null, Set.of());
    }

    /**
     * As a reader who may not see {@code denied} gets it: the envelope (ids, pathway, status,
     * history) stays, the sender's reason and the pathway's data go, and the categories are named.
     */
    public Referral withholding(Set<DataCategory> denied) {
        if (denied.isEmpty()) {
            return this;
        }
        return new Referral(id, personId, pathway, requester, performerAgency, status, "", createdAt, updatedAt,
                version, history, null, engagement, denied, null);
    }

    /** A referral without transitions yet. */
    public Referral(String id, String personId, Pathway pathway, Actor requester, String performerAgency,
                    ReferralStatus status, String reason, Instant createdAt, Instant updatedAt, long version) {
        this(id, personId, pathway, requester, performerAgency, status, reason, createdAt, updatedAt, version, List.of());
    }

    /** This referral with the hand-over's state as now recorded. */
    public Referral withHandover(Handover changed) {
        return new Referral(id, personId, pathway, requester, performerAgency, status, reason, createdAt, updatedAt,
                version, history, details, engagement, withheld, changed);
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
                entry.at(), version + 1, h, details, engagement, withheld, handover);
    }

    /** This referral with its engagement changed at {@code at}: version and update time move on. */
    public Referral withEngagement(Engagement changed, Instant at) {
        return new Referral(id, personId, pathway, requester, performerAgency, status, reason, createdAt, at,
                version + 1, history, details, changed, withheld, handover);
    }

    /** Custody release only: picked up (see {@link Engagement#pickedUpAfter}); false for other pathways. */
    public boolean pickedUp() {
        return details instanceof PathwayDetails.CustodyRelease c && engagement.pickedUpAfter(c.releaseDate());
    }

    /**
     * As the probation agency responsible for a court order sees it: missed appointments only when the
     * order makes them reportable to it. Everyone else: unchanged.
     */
    public Referral asSeenByAgency(String agency) {
        if (details instanceof PathwayDetails.CourtTreatmentRequirement o && o.probationAgency().equals(agency)
                && !o.missedAppointmentsToProbation() && !performerAgency.equals(agency)) {
            return new Referral(id, personId, pathway, requester, performerAgency, status, reason, createdAt, updatedAt,
                    version, history, details, engagement.withoutMissed(), withheld, handover);
        }
        return this;
    }

    /** The sending and the receiving agency see a referral without a consent decision; anyone else needs one. */
    public boolean isVisibleTo(String agency) {
        return requester.agency().equals(agency) || performerAgency.equals(agency);
    }
}
