package bridge.support.outbox;

/** Where an outbox message is in its life: waiting, being delivered, done, or given up on. */
public enum OutboxStatus {
    /** Waiting for its next attempt (at {@code nextAttemptAt}) and for earlier messages of its key. */
    PENDING,
    /** Claimed by a dispatcher under a lease; due again if the lease runs out (the process died). */
    IN_FLIGHT,
    /** The receiver accepted it. */
    DELIVERED,
    /** Rejected by the receiver or out of retry budget: a dead letter an operator can replay. */
    DEAD
}
