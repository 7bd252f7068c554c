package bridge.housing.partner;

import bridge.housing.domain.DutyToRefer;
import bridge.support.outbox.DeliveryOutcome;
import bridge.support.outbox.OutboxHandler;
import bridge.support.outbox.OutboxMessage;
import bridge.support.partner.PartnerOutcome;

/**
 * Delivers duty-to-refer notices from the outbox to the chosen authority's system: success records
 * the authority's receipt on the notice; the partner's trouble is retried by the outbox; a refusal
 * marks the notice undeliverable and goes straight to the dead letters for an operator.
 */
public final class DutyToReferHandler implements OutboxHandler {

    private final HousingAuthorityApi api;
    private final DutyToRefer notices;

    public DutyToReferHandler(HousingAuthorityApi api, DutyToRefer notices) {
        this.api = api;
        this.notices = notices;
    }

    @Override
    public String channel() {
        return OutboxNoticeDeliveries.CHANNEL;
    }

    @Override
    public DeliveryOutcome deliver(OutboxMessage message) {
        String noticeId = message.attributes().get("noticeId");
        PartnerOutcome<HousingAuthorityApi.NoticeReport> outcome = api.submit(message.attributes().get("authorityCode"),
                message.idempotencyKey(), message.payload());
        return switch (outcome) {
            case PartnerOutcome.Success<HousingAuthorityApi.NoticeReport> s -> {
                notices.received(noticeId, s.value().noticeId(), s.value().status());
                yield DeliveryOutcome.delivered();
            }
            case PartnerOutcome.Retryable<HousingAuthorityApi.NoticeReport> r -> DeliveryOutcome.retry(r.reason());
            case PartnerOutcome.Permanent<HousingAuthorityApi.NoticeReport> p -> {
                notices.undeliverable(noticeId, p.reason());
                yield DeliveryOutcome.reject(p.reason());
            }
        };
    }
}
