package bridge.support.outbox;

/** What became of one delivery attempt, as the handler judges it. */
public sealed interface DeliveryOutcome {

    /** The receiver accepted the message (or already had it: same idempotency key). */
    record Delivered() implements DeliveryOutcome {
    }

    /** A transient failure (receiver down, timeout, 5xx, 429): try again after a backoff. */
    record Retry(String reason) implements DeliveryOutcome {
    }

    /** A permanent failure (the receiver refuses this message for good): straight to DEAD. */
    record Reject(String reason) implements DeliveryOutcome {
    }

    static DeliveryOutcome delivered() {
        return new Delivered();
    }

    static DeliveryOutcome retry(String reason) {
        return new Retry(reason);
    }

    static DeliveryOutcome reject(String reason) {
        return new Reject(reason);
    }
}
