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
     * People sharing at least one of the matching keys ({@link PersonMatcher#blockingKeys}) one of whose
     * index entries passes {@code entry} (date of birth, {@code null}: none; and the names, where the entry
     * carries them), ordered by id, at most {@code limit}. The filter is applied to the index entries,
     * before any record is read; it may let through more than it is asked to (an entry of an earlier date
     * of birth or names), never less.
     */
    List<Person> findByMatchKeys(Set<String> keys, java.util.function.Predicate<PersonMatcher.Indexed> entry, int limit);

    /**
     * What a registration must know before it writes, read together (one read of the index, one of the
     * records, docs/people-directory-scale.md): the record stored under {@code idempotencyKey} if this is
     * a retry ({@code null}: the caller gave no key, so it cannot be one), everyone holding exactly one of
     * {@code identifiers} (as {@link #findByIdentifier}, merged-away records included, ordered by id), and
     * the people {@link #findByMatchKeys} would return for the other arguments.
     */
    RegistrationCandidates findForRegistration(String idempotencyKey, List<Identifier> identifiers, Set<String> matchKeys,
                                               java.util.function.Predicate<PersonMatcher.Indexed> entry, int limit);

    /** See {@link #findForRegistration}. */
    record RegistrationCandidates(Optional<Person> retried, List<Person> identifierHolders, List<Person> matches) {
        public RegistrationCandidates {
            identifierHolders = List.copyOf(identifierHolders);
            matches = List.copyOf(matches);
        }
    }

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
