package bridge.people.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The directory's storage, implemented in persistence. Every write is one single-document operation. */
public interface PersonRepository {

    /**
     * Stores a new person unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Person insertOnce(Person person, String idempotencyKey);

    /** The record under this id, merged-away records included (see {@link Person#mergedInto()}). */
    Optional<Person> findById(String id);

    /** Everyone holding exactly this (normalised) identifier, on the record or in a link, ordered by id. */
    List<Person> findByIdentifier(IdentifierType type, String value);

    /**
     * People sharing at least one of the matching keys ({@link PersonMatcher#blockingKeys}) whose date
     * of birth ({@code null}: none) passes {@code dateOfBirth}, ordered by id, at most {@code limit}.
     * The filter is applied to the index entries, before any record is read; it may let through more
     * than it is asked to (an entry of an earlier date of birth), never less.
     */
    List<Person> findByMatchKeys(Set<String> keys, java.util.function.Predicate<java.time.LocalDate> dateOfBirth, int limit);

    /**
     * Replaces the record if it is still at {@code expectedVersion} (optimistic concurrency).
     *
     * @return false when someone else changed it first
     */
    boolean update(Person person, long expectedVersion);

    /** The person stored under this idempotency key, if any. */
    Optional<Person> findByIdempotencyKey(String idempotencyKey);

    /** Queues a suspected duplicate for a data steward (once per pair). */
    void queueDuplicateReview(DuplicateReview review);

    /** Reviews in this state, oldest first (then by id), after the given position, at most {@code limit}. */
    List<DuplicateReview> reviews(DuplicateReview.State state, java.time.Instant afterCreatedAt, String afterId, int limit);

    Optional<DuplicateReview> findReview(String id);

    /** Changes a review if it is still in {@code expected}; false otherwise. */
    boolean updateReview(DuplicateReview review, DuplicateReview.State expected);

    /** Open reviews between these two people, either way round. */
    List<DuplicateReview> openReviewsBetween(String a, String b);

    /** Records a merge unless one was recorded under the key already; returns the stored one. */
    PersonMerge insertMerge(PersonMerge merge, String idempotencyKey);

    Optional<PersonMerge> findMerge(String id);

    /** Records the undoing of a merge if it was not undone yet; false otherwise. */
    boolean markUnmerged(PersonMerge undone);

    /** Records an unlink unless one was recorded under the key already; returns the stored one. */
    PersonUnlink insertUnlink(PersonUnlink unlink, String idempotencyKey);

    /** The unlink recorded under this idempotency key, if any. */
    Optional<PersonUnlink> findUnlink(String idempotencyKey);
}
