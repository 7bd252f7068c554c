package bridge.housing.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Duty-to-refer notices in the housing liaison service's storage, implemented in persistence. */
public interface DutyToReferRepository {

    /** Stores a new notice unless one was stored under the same idempotency key; then returns that one. */
    DutyToReferNotice insertOnce(DutyToReferNotice notice, String idempotencyKey);

    Optional<DutyToReferNotice> find(String personId, String id);

    Optional<DutyToReferNotice> findById(String id);

    /**
     * Moves the notice to {@code status} (one conditional update: only from a status it may follow,
     * see {@link NoticeStatus#mayFollow()}), appending to its history. False when the notice was
     * already there or further on, so a repeated report changes nothing.
     *
     * @param authorityNoticeId kept when null
     * @param outcome           kept when null
     */
    boolean advance(String id, NoticeStatus status, String authorityNoticeId, String outcome, Instant at, String note);

    /** Up to {@code limit} notices waiting for the authority's decision, least recently checked first. */
    List<DutyToReferNotice> awaitingAuthority(int limit);

    /** Notes that the authority was asked about the notice now (it goes to the back of the queue). */
    void checked(String id, Instant at);
}
