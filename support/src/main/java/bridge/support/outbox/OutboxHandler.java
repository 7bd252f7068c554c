package bridge.support.outbox;

/**
 * Delivers the messages of one channel to their external receiver. The receiver must deduplicate on
 * {@link OutboxMessage#idempotencyKey()}: delivery is at least once (a lease can run out while a
 * slow call is still under way, and a process can die after the receiver accepted but before the
 * outcome was stored). Every remote call made here needs a deadline well under the lease.
 *
 * <p>An exception thrown by {@link #deliver} counts as {@link DeliveryOutcome.Retry}.
 */
public interface OutboxHandler {

    String channel();

    DeliveryOutcome deliver(OutboxMessage message);
}
