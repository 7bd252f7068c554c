package bridge.consent.domain;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import java.time.Instant;
import java.util.List;

/**
 * Sharing without consent ("break glass"): a recorded, time-limited legal basis on which one named
 * agency may see named categories of the person's data for named purposes. It allows from the
 * moment it is recorded, while the data-protection officer's review is pending; a revoked one never
 * allows again.
 *
 * @param review the DPO's review, null while pending
 */
public record LegalBasis(String id, String personId, LegalBasisType type, String recipientAgency,
                         List<DataCategory> categories, List<Purpose> purposes, String justification,
                         Instant validUntil, ReviewState reviewState, Actor recordedBy, Instant createdAt,
                         Review review) {

    /** Who reviewed, when, with what note. */
    public record Review(Actor by, Instant time, String note) {
        public Review {
            note = note == null ? "" : note;
        }
    }

    public LegalBasis {
        categories = List.copyOf(categories);
        purposes = List.copyOf(purposes);
    }

    /** Not revoked (pending review counts) and before its time limit. */
    public boolean isActiveAt(Instant now) {
        return reviewState != ReviewState.REVOKED && now.isBefore(validUntil);
    }

    public boolean covers(DataCategory category, Purpose purpose) {
        return categories.contains(category) && purposes.contains(purpose);
    }

    public LegalBasis reviewed(ReviewState state, Review review) {
        return new LegalBasis(id, personId, type, recipientAgency, categories, purposes, justification, validUntil,
                state, recordedBy, createdAt, review);
    }
}
