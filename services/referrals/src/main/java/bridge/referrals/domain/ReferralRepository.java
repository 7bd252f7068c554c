package bridge.referrals.domain;

import java.util.List;
import java.util.Optional;

/** The referral service's storage, implemented in persistence. */
public interface ReferralRepository {

    /**
     * Stores a new referral unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Referral insertOnce(Referral referral, String idempotencyKey);

    Optional<Referral> findById(String id);

    /**
     * Records the hand-over's state, only while the stored one is still pending (a completed
     * hand-over is never reopened). False when it was not pending (nothing written).
     */
    boolean recordHandover(String id, Handover handover);

    /**
     * Removes a referral whose hand-over the liaison service refused, only while it is still pending
     * and the referral unchanged since it was sent (version 1), so that a corrected retry, even with
     * the same idempotency key, sends it afresh. False when that no longer holds (nothing removed).
     */
    boolean removeRefusedHandover(String id);

    /**
     * Up to {@code limit} referrals about the person that {@code agency} sent or received (null: every
     * referral about the person), newest first, then by id, starting after {@code after} (null: from
     * the start).
     */
    List<Referral> findAbout(String personId, String agency, ReferralCursor after, int limit);

    /** Whether a referral about the person exists that {@code agency} neither sent nor received. */
    boolean existsNotInvolving(String personId, String agency);

    /**
     * Applies one transition as a single conditional write: only if the stored referral is still at
     * {@code expectedVersion}, it takes {@code updated}'s status, update time and version and gets
     * {@code entry} appended to its history. False when another change came first (nothing written).
     */
    boolean applyTransition(Referral updated, long expectedVersion, HistoryEntry entry);

    /**
     * Stores {@code updated}'s engagement, update time and version as a single conditional write, only
     * if the stored referral is still at {@code expectedVersion}. False when another change came first.
     */
    boolean applyEngagement(Referral updated, long expectedVersion);

    /**
     * Every referral sent in [{@code from}, {@code to}), optionally only on one pathway and/or to one
     * receiving agency (null: all). For aggregate measures only.
     */
    List<Referral> findSentBetween(java.time.Instant from, java.time.Instant to, Pathway pathway, String agency);

    /** The referrals changed (sent, moved, appointments) at or after {@code since}. */
    List<Referral> findUpdatedSince(java.time.Instant since);

    /** The referrals {@code agency} received that are in one of {@code statuses} and were sent before {@code sentBefore}. */
    List<Referral> findReceivedBy(String agency, java.util.Set<ReferralStatus> statuses, java.time.Instant sentBefore);
}
