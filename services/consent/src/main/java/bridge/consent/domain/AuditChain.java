package bridge.consent.domain;

import bridge.consent.domain.AuditVerification.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit trail's hash chain: canonical encoding, hashing and verification.
 *
 * <h2>Canonical encoding, version 1</h2>
 * An entry's hash is the lower-case hex SHA-256 of the bytes below. Every value is written as a
 * netstring — its length in UTF-8 bytes in decimal ASCII, {@code ':'}, the UTF-8 bytes, {@code ','}
 * — so that no value can be crafted to look like two (no delimiter or escaping ambiguity). In order:
 * <ol>
 *   <li>the literal {@code bridge.audit.v1} (the format version)</li>
 *   <li>sequence, decimal</li>
 *   <li>time, milliseconds since the epoch, decimal</li>
 *   <li>actor subject, actor agency, actor agency type (enum name, e.g. {@code POLICE})</li>
 *   <li>person id</li>
 *   <li>purpose (enum name)</li>
 *   <li>request id</li>
 *   <li>number of decisions, decimal; then for each decision in order: category (enum name),
 *       {@code allow} or {@code deny}, consent id or empty, consent version (decimal, 0 if none),
 *       legal basis id or empty, deny reason (enum name) or empty</li>
 *   <li>previous hash: the hash of entry {@code sequence - 1}, or 64 zeros for entry 1</li>
 * </ol>
 * Example: the value "abc" is written {@code 3:abc,}; an empty value {@code 0:,}.
 *
 * <h2>What verification detects</h2>
 * Walking entries in sequence order from 1: a missing sequence is a REMOVED entry; an entry whose
 * previous hash is not the hash of the entry before it was REORDERED (moved, swapped or replaced by
 * another chain's entry); an entry whose content does not hash to its stored hash was ALTERED. An
 * attacker who can rewrite the database can still rewrite a whole suffix consistently, or cut off
 * the newest entries: keep {@link AuditVerification#lastHash()} elsewhere (an anchor) to catch that.
 */
public final class AuditChain {

    public static final String FORMAT = "bridge.audit.v1";
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** The entry as stored: sequence, previous hash, and the hash over both and the event. */
    public static AuditEntry seal(long sequence, AuditEvent event, String previousHash) {
        return new AuditEntry(sequence, event, previousHash, hash(sequence, event, previousHash));
    }

    public static String hash(long sequence, AuditEvent event, String previousHash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical(sequence, event, previousHash)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The canonical encoding (see the class comment). */
    public static byte[] canonical(long sequence, AuditEvent e, String previousHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 96 * e.decisions().size());
        put(out, FORMAT);
        put(out, Long.toString(sequence));
        put(out, Long.toString(e.time().toEpochMilli()));
        put(out, e.actor().subject());
        put(out, e.actor().agency());
        put(out, e.actor().agencyType().name());
        put(out, e.personId());
        put(out, e.purpose().name());
        put(out, e.requestId());
        put(out, Integer.toString(e.decisions().size()));
        for (Decision d : e.decisions()) {
            put(out, d.category().name());
            put(out, d.allowed() ? "allow" : "deny");
            put(out, d.consentId());
            put(out, Long.toString(d.consentVersion()));
            put(out, d.legalBasisId());
            put(out, d.denyReason() == null ? "" : d.denyReason().name());
        }
        put(out, previousHash);
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
        out.write(',');
    }

    /**
     * Checks entries fed in ascending sequence order; stops at the first bad one. Not thread-safe:
     * one walk, one verifier.
     */
    public static final class Verifier {

        private long expected;
        private String previousHash;
        private long checked;
        private AuditVerification failure;

        /** A walk from the first entry. */
        public Verifier() {
            this(0, GENESIS);
        }

        /** A walk that continues after entry {@code afterSequence}, whose hash is {@code afterHash} (a checkpoint). */
        public Verifier(long afterSequence, String afterHash) {
            this.expected = afterSequence + 1;
            this.previousHash = afterHash;
        }

        /** The sequence of the last entry that verified (0: none yet, or the checkpoint's when continuing). */
        public long lastSequence() {
            return expected - 1;
        }

        /** Checks the next entry; false once the chain is broken (stop feeding). */
        public boolean accept(AuditEntry entry) {
            if (failure != null) {
                return false;
            }
            checked++;
            if (sequenceGap(entry.sequence())) {
                return false;
            }
            if (!previousHash.equals(entry.previousHash())) {
                return fail(entry.sequence(), Problem.REORDERED, "entry " + entry.sequence()
                        + " does not follow entry " + (entry.sequence() - 1)
                        + " (its previous_hash is not that entry's hash): entries were reordered or replaced");
            }
            if (!hash(entry.sequence(), entry.event(), entry.previousHash()).equals(entry.hash())) {
                return fail(entry.sequence(), Problem.ALTERED, "entry " + entry.sequence()
                        + " was altered (its content does not match its hash)");
            }
            previousHash = entry.hash();
            expected++;
            return true;
        }

        /** An entry whose stored form cannot be read back at all: altered. */
        public boolean acceptUnreadable(long sequence) {
            if (failure != null) {
                return false;
            }
            checked++;
            if (sequenceGap(sequence)) {
                return false;
            }
            return fail(sequence, Problem.ALTERED, "entry " + sequence + " was altered (it cannot be read)");
        }

        /**
         * The walk found no entry from the next expected one through {@code lastMissing}, although
         * later entries exist: they were removed.
         */
        public boolean missing(long lastMissing) {
            if (failure != null) {
                return false;
            }
            return fail(expected, Problem.REMOVED, (lastMissing == expected ? "entry " + expected + " is"
                    : "entries " + expected + " to " + lastMissing + " (at least) are") + " missing (removed)");
        }

        public AuditVerification result() {
            if (failure != null) {
                return failure;
            }
            return new AuditVerification(true, checked, 0, Problem.NONE, "", expected == 1 ? "" : previousHash);
        }

        private boolean sequenceGap(long sequence) {
            if (sequence == expected) {
                return false;
            }
            if (sequence > expected) {
                fail(expected, Problem.REMOVED, (sequence - expected == 1 ? "entry " + expected + " is"
                        : "entries " + expected + " to " + (sequence - 1) + " are") + " missing (removed)");
            } else {
                fail(sequence, Problem.REORDERED, "entry " + sequence + " appears after entry " + (expected - 1));
            }
            return true;
        }

        private boolean fail(long sequence, Problem kind, String problem) {
            failure = new AuditVerification(false, checked, sequence, kind, problem,
                    expected == 1 ? "" : previousHash);
            return false;
        }
    }
}
