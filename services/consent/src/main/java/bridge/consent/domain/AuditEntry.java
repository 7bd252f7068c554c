package bridge.consent.domain;

/**
 * An event as stored in the chain: its sequence (1, 2, 3, ... with no gaps), the hash of the entry
 * before it, and its own hash over both ({@link AuditChain}).
 */
public record AuditEntry(long sequence, AuditEvent event, String previousHash, String hash) {
}
