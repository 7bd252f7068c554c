package bridge.referrals.domain;

import java.util.List;

/**
 * Hands a referral over to the liaison service that acts on it, as the caller (whose token travels
 * on, so the liaison service checks consent and records the sender for the real agency).
 * Implemented over gRPC in api.
 *
 * <p>Contract: the same referral handed over again makes nothing twice (the liaison service's
 * idempotency key is derived from the referral's id). A refusal is thrown as the caller should hear
 * it, fields named as in CreateReferral (INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED);
 * a liaison service that cannot answer is {@link bridge.support.errors.UnavailableException}.
 */
public interface LiaisonHandovers {

    /** Not wired: every hand-over waits (a deployment without the liaison targets cannot complete one). */
    LiaisonHandovers UNCONFIGURED = referral -> {
        throw new bridge.support.errors.UnavailableException("HANDOVER_NOT_CONFIGURED",
                "the liaison service for " + referral.pathway() + " is not configured");
    };

    /** The resource names of what the liaison service made for the referral. */
    List<String> handOver(Referral referral);
}
