package bridge.consent.domain;

import java.util.List;
import java.util.Optional;

/** Storage of legal bases, implemented in persistence. */
public interface LegalBasisRepository {

    /**
     * Stores a new legal basis unless one was stored under the same idempotency key (then returns that,
     * possibly of another person).
     *
     * @param idempotencyKey null when the create carried no request id
     */
    LegalBasis insertOnce(LegalBasis legalBasis, String idempotencyKey);

    Optional<LegalBasis> findById(String personId, String id);

    /** Every legal basis of the person, whatever its state, oldest first. */
    List<LegalBasis> findByPerson(String personId);

    /** Legal bases awaiting review, oldest first (creation time, then id), after the cursor. */
    List<LegalBasis> findPendingReview(ConsentCursor after, int limit);

    /**
     * Stores the review, provided the legal basis is still in {@code current}'s review state.
     *
     * @throws bridge.support.errors.ConflictException when another review was stored first
     */
    LegalBasis review(LegalBasis current, LegalBasis reviewed);
}
