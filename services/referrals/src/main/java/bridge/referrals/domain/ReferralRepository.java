package bridge.referrals.domain;

import java.util.Optional;

/** The referral service's storage, implemented in persistence. */
public interface ReferralRepository {

    /**
     * Stores a new referral unless one was already stored under the same idempotency key, in which
     * case that one is returned and nothing is written.
     */
    Referral insertOnce(Referral referral, String idempotencyKey);

    Optional<Referral> findById(String id);
}
