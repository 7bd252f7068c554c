package bridge.people.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The directory's storage, implemented in persistence. */
public interface PersonRepository {

    /**
     * Stores a new person unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Person insertOnce(Person person, String idempotencyKey);

    Optional<Person> findById(String id);

    /** Everyone holding exactly this (normalised) identifier, ordered by id. */
    List<Person> findByIdentifier(IdentifierType type, String value);

    /**
     * People sharing at least one of the matching keys ({@link PersonMatcher#blockingKeys}), ordered
     * by id, at most {@code limit}.
     */
    List<Person> findByMatchKeys(Set<String> keys, int limit);

    /**
     * Queues a suspected duplicate for a data steward: {@code personId} was registered although it
     * probably is {@code candidateId}, which the registering agency may not see. {@code kind}:
     * STRONG_IDENTIFIER (same NHS/CHI number) or FUZZY (matcher score).
     */
    void queueDuplicateReview(String personId, String candidateId, String kind, double score, String registeringAgency);

    /** The person stored under this idempotency key, if any. */
    Optional<Person> findByIdempotencyKey(String idempotencyKey);
}
