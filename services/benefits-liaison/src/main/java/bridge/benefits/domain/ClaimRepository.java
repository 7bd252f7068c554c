package bridge.benefits.domain;

import java.util.List;
import java.util.Optional;

/** The benefits liaison service's storage, implemented in persistence. */
public interface ClaimRepository {

    /**
     * Stores a new claim unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Claim insertOnce(Claim claim, String idempotencyKey);

    Optional<Claim> findById(String id);

    /** Stores {@code changed} only while the stored version is {@code changed.version() - 1}; empty otherwise. */
    Optional<Claim> replaceIfVersion(Claim changed);

    /**
     * Up to {@code limit} claims about the person opened by {@code agency} (null: by any agency),
     * newest first, then by id, starting after {@code after} (null: from the start).
     */
    List<Claim> findAbout(String personId, String agency, ClaimCursor after, int limit);

    /**
     * Up to {@code limit} claims DWP holds whose outcome is still open (SUBMITTED, AWAITING_DECISION,
     * or AWARDED without an expected first payment date), least recently checked first.
     */
    List<Claim> awaitingDwp(int limit);

    /** Notes that DWP was asked about the claim at {@code at} (not a change of the claim: no version step). */
    void checkedWithDwp(String id, java.time.Instant at);

    /** Whether any agency other than {@code agency} opened a claim for the person. */
    boolean existsRecordedByOtherThan(String personId, String agency);
}
