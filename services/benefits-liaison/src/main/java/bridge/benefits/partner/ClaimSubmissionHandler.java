package bridge.benefits.partner;

import bridge.benefits.domain.Claims;
import bridge.support.outbox.DeliveryOutcome;
import bridge.support.outbox.OutboxHandler;
import bridge.support.outbox.OutboxMessage;
import bridge.support.partner.PartnerOutcome;

/**
 * Delivers submitted claims from the outbox to DWP: success records DWP's claim id; DWP's trouble
 * is retried by the outbox; a refusal goes straight to the dead letters for an operator.
 */
public final class ClaimSubmissionHandler implements OutboxHandler {

    private final DwpClaimsApi api;
    private final Claims claims;

    public ClaimSubmissionHandler(DwpClaimsApi api, Claims claims) {
        this.api = api;
        this.claims = claims;
    }

    @Override
    public String channel() {
        return OutboxClaimSubmissions.CHANNEL;
    }

    @Override
    public DeliveryOutcome deliver(OutboxMessage message) {
        return switch (api.submit(message.idempotencyKey(), message.payload())) {
            case PartnerOutcome.Success<DwpClaimsApi.DwpClaim> s -> {
                claims.receivedByDwp(message.attributes().get("claimId"), s.value().claimId());
                yield DeliveryOutcome.delivered();
            }
            case PartnerOutcome.Retryable<DwpClaimsApi.DwpClaim> r -> DeliveryOutcome.retry(r.reason());
            case PartnerOutcome.Permanent<DwpClaimsApi.DwpClaim> p -> DeliveryOutcome.reject(p.reason());
        };
    }
}
