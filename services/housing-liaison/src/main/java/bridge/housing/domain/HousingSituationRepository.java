package bridge.housing.domain;

import java.util.List;

/** The housing liaison service's storage, implemented in persistence. */
public interface HousingSituationRepository {

    /**
     * Stores a new situation unless one was already stored under the same idempotency key, in
     * which case that one is returned and nothing is written.
     */
    HousingSituation insertOnce(HousingSituation situation, String idempotencyKey);

    /**
     * Up to {@code limit} situations about the person recorded by the agency, newest start date
     * first, then by id, starting after {@code after} (null: from the start).
     */
    /** {@code agency} null means every agency's records. */
    List<HousingSituation> findRecordedBy(String personId, String agency, HousingCursor after, int limit);

    /** Whether any agency other than {@code agency} recorded a situation about the person. */
    boolean existsRecordedByOtherThan(String personId, String agency);
}
