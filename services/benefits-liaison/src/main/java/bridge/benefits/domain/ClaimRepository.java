package bridge.benefits.domain;

import java.util.Optional;

/** The benefits liaison service's storage, implemented in persistence. */
public interface ClaimRepository {

    /**
     * Stores a new claim unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Claim insertOnce(Claim claim, String idempotencyKey);

    Optional<Claim> findById(String id);
}
