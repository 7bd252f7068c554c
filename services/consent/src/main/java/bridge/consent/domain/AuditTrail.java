package bridge.consent.domain;

import java.util.List;

/**
 * The append-only, hash-chained audit trail of decisions (port; implemented in persistence).
 */
public interface AuditTrail {

    /**
     * Appends the events in order, each chained to the one before, and returns them as stored. When
     * this returns, the entries are durable; when it throws, the caller must treat the events as not
     * recorded (and fail its own request). Safe to call from many threads and many service instances
     * at once: the chain never forks.
     */
    List<AuditEntry> append(List<AuditEvent> events);

    /** Walks the whole chain by sequence and reports the first entry altered, removed or reordered. */
    AuditVerification verify();

    /**
     * Verifies only what is new: the entries after the last verification that found the chain
     * intact (its checkpoint), at most a bounded number per call, after checking that the checkpoint
     * still matches the chain. Entries before the checkpoint are not re-read: {@link #verify()} does
     * that. Without a checkpoint store this is the full walk.
     */
    default AuditVerification verifyNew() {
        return verify();
    }

    /** Entries about the person with a sequence below {@code beforeSequence}, newest first. */
    List<AuditEntry> aboutPerson(String personId, long beforeSequence, int limit);
}
