package bridge.consent.domain;

import bridge.support.identity.AgencyType;
import java.util.List;
import java.util.Optional;

/**
 * The consent registry's storage, implemented in persistence. Every write is a single-document
 * atomic operation (no multi-document transactions): see the implementation for how a version
 * chain stays consistent when a writer stops between two writes.
 */
public interface ConsentRepository {

    /**
     * Stores a new consent (version 1) unless one was already stored under the same idempotency key,
     * in which case that one (its current version; possibly of another person) is returned and
     * nothing new is written.
     *
     * @param idempotencyKey null when the create carried no request id
     */
    Consent insertOnce(Consent consent, String idempotencyKey);

    /** The current version of a consent of the person. */
    Optional<Consent> findById(String personId, String id);

    /**
     * Up to {@code limit} current consents of the person that {@code agency} recorded or is a
     * recipient of (named, or by {@code agencyType}), ordered by creation time then id, after
     * {@code after} (null: from the start). A null {@code agency} means every consent of the person.
     */
    List<Consent> findVisible(String personId, String agency, AgencyType agencyType, ConsentCursor after, int limit);

    /**
     * Makes {@code next} (version {@code current.version() + 1}) the current version, provided the
     * current version is still {@code current.version()}; {@code current} stays in the history.
     *
     * @throws bridge.support.errors.ConflictException when another writer moved the consent on first
     */
    Consent replaceCurrent(Consent current, Consent next);

    /**
     * Every version of the consent whose current version is {@code current}, oldest first, the
     * current version last; versions carry their stored state (ACTIVE or WITHDRAWN).
     */
    List<Consent> history(Consent current);
}
