package bridge.benefits.domain;

import java.util.Optional;

/** Claim preparations in the benefits liaison service's storage, implemented in persistence. */
public interface ClaimPreparationRepository {

    /** Stores a new preparation unless one was stored under the same idempotency key; then returns that one. */
    ClaimPreparation insertOnce(ClaimPreparation preparation, String idempotencyKey);

    Optional<ClaimPreparation> find(String personId, String id);

    /** Stores {@code changed} only while the stored version is {@code changed.version() - 1}; empty otherwise. */
    Optional<ClaimPreparation> replaceIfVersion(ClaimPreparation changed);
}
