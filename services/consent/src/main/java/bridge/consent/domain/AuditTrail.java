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

    /** Entries about the person with a sequence below {@code beforeSequence}, newest first. */
    List<AuditEntry> aboutPerson(String personId, long beforeSequence, int limit);
}
