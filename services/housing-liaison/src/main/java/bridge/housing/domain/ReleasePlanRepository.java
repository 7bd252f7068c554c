package bridge.housing.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Release plans in the housing liaison service's storage, implemented in persistence. */
public interface ReleasePlanRepository {

    /** Stores a new plan unless one was stored under the same idempotency key; then returns that one. */
    ReleasePlan insertOnce(ReleasePlan plan, String idempotencyKey);

    Optional<ReleasePlan> find(String personId, String id);

    /**
     * Stores {@code changed} only while the stored version is {@code changed.version() - 1} (one
     * conditional single-document update, so concurrent changes cannot both win); empty otherwise.
     */
    Optional<ReleasePlan> replaceIfVersion(ReleasePlan changed);

    /** The person's plans recorded by the agency (null: every agency), soonest release first, then id. */
    List<ReleasePlan> findForPerson(String personId, String agency, ReleasePlanCursor after, int limit);

    boolean existsRecordedByOtherThan(String personId, String agency);

    /** The agency's plans releasing on or after {@code from} and on or before {@code to}, soonest first. */
    List<ReleasePlan> findOfAgencyReleasing(String agency, LocalDate from, LocalDate to, ReleasePlanCursor after, int limit);
}
