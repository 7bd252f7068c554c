package bridge.benefits.domain;

/**
 * Hands a submitted claim over for delivery to DWP (the outbox, in the partner room). Must be
 * idempotent per claim: called again for the same claim, it schedules nothing new.
 */
public interface ClaimSubmissions {

    void schedule(Claim claim);
}
