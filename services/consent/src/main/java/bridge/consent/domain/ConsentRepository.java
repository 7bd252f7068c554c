package bridge.consent.domain;

import java.util.List;

/** The consent service's storage, implemented in persistence. */
public interface ConsentRepository {

    /**
     * Stores a new consent unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Consent insertOnce(Consent consent, String idempotencyKey);

    /**
     * Up to {@code limit} consents about the person recorded by the agency, ordered by creation
     * time then id, starting after {@code after} (null: from the start).
     */
    List<Consent> findRecordedBy(String personId, String agency, ConsentCursor after, int limit);
}
