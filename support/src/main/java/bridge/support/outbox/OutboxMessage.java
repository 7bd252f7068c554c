package bridge.support.outbox;

import java.time.Instant;
import java.util.Map;

/**
 * One piece of work for an external receiver, as stored in the outbox. Times are held to the
 * millisecond (MongoDB dates).
 *
 * @param payload    JSON text handed to the receiver as is
 * @param attributes routing data for the handler (url, subscription id, authority code...)
 * @param sequence   enqueue order; messages with the same (channel, orderingKey) go out in this order
 */
public record OutboxMessage(
        String id,
        String channel,
        String orderingKey,
        String idempotencyKey,
        String payload,
        Map<String, String> attributes,
        long sequence,
        Instant enqueuedAt,
        OutboxStatus status,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant deliveredAt) {

    public OutboxMessage {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
