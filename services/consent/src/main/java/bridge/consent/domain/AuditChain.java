package bridge.consent.domain;

import bridge.consent.domain.AuditVerification.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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
        return encode(new Canonical(sequence), event, previousHash).hash();
    }

    /** The canonical encoding (see the class comment). */
    public static byte[] canonical(long sequence, AuditEvent e, String previousHash) {
        return encode(new Canonical(sequence), e, previousHash).bytes();
    }

    private static Canonical encode(Canonical out, AuditEvent e, String previousHash) {
        out.number(e.time().toEpochMilli());
        out.text(e.actor().subject());
        out.text(e.actor().agency());
        out.text(e.actor().agencyType().name());
        out.text(e.personId());
        out.text(e.purpose().name());
        out.text(e.requestId());
        out.number(e.decisions().size());
        for (Decision d : e.decisions()) {
            out.text(d.category().name());
            out.text(d.allowed() ? "allow" : "deny");
            out.text(d.consentId());
            out.number(d.consentVersion());
            out.text(d.legalBasisId());
            out.text(d.denyReason() == null ? "" : d.denyReason().name());
        }
        return out.text(previousHash);
    }

    /**
     * The one writer of the canonical encoding: netstrings in the order of the class comment, fed
     * either from an {@link AuditEvent} or, by a store that keeps the values as UTF-8, straight from
     * the stored bytes (no string decoding on the way to the hash). The caller writes the values after
     * the format version and sequence, which the constructor writes. Not thread-safe; reusable with
     * {@link #restart(long)}.
     */
    public static final class Canonical {

        private static final byte[] FORMAT_UTF8 = FORMAT.getBytes(StandardCharsets.UTF_8);
        private final MessageDigest sha;
        private byte[] buffer = new byte[512];
        private int size;

        public Canonical(long sequence) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every Java platform", e);
            }
            restart(sequence);
        }

        /** Forgets what was written and starts the encoding of another entry. */
        public Canonical restart(long sequence) {
            size = 0;
            utf8(FORMAT_UTF8, 0, FORMAT_UTF8.length);
            return number(sequence);
        }

        /** A text value; null is written as the empty value. */
        public Canonical text(String value) {
            byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
            return utf8(bytes, 0, bytes.length);
        }

        /** A text value given as its UTF-8 bytes. */
        public Canonical utf8(byte[] source, int offset, int length) {
            lengthPrefix(length);
            System.arraycopy(source, offset, buffer, size, length);
            size += length;
            buffer[size++] = ',';
            return this;
        }

        /** A text value given as its UTF-8 bytes at {@code offset} in {@code source} (its position is not moved). */
        public Canonical utf8(ByteBuffer source, int offset, int length) {
            lengthPrefix(length);
            source.get(offset, buffer, size, length);
            size += length;
            buffer[size++] = ',';
            return this;
        }

        /** A number value, in decimal. */
        public Canonical number(long value) {
            String digits = Long.toString(value);
            ensure(digits.length() + 24);
            int length = digits.length();
            writeDecimal(length);
            buffer[size++] = ':';
            for (int i = 0; i < length; i++) {
                buffer[size++] = (byte) digits.charAt(i);
            }
            buffer[size++] = ',';
            return this;
        }

        /** Lower-case hex SHA-256 of what was written. */
        public String hash() {
            sha.update(buffer, 0, size);
            return HexFormat.of().formatHex(sha.digest());
        }

        public byte[] bytes() {
            return Arrays.copyOf(buffer, size);
        }

        private void lengthPrefix(int length) {
            ensure(length + 16);
            writeDecimal(length);
            buffer[size++] = ':';
        }

        private void writeDecimal(int value) {
            if (value >= 10) {
                writeDecimal(value / 10);
            }
            buffer[size++] = (byte) ('0' + value % 10);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
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
            return accept(entry.sequence(), entry.previousHash(), entry.hash(),
                    hash(entry.sequence(), entry.event(), entry.previousHash()));
        }

        /**
         * Checks the next entry given as stored: its sequence, previous hash and hash, and
         * {@code contentHash}, what its content hashes to now (the hash of its canonical encoding).
         */
        public boolean accept(long sequence, String entryPreviousHash, String entryHash, String contentHash) {
            if (failure != null) {
                return false;
            }
            checked++;
            if (sequenceGap(sequence)) {
                return false;
            }
            if (!previousHash.equals(entryPreviousHash)) {
                return fail(sequence, Problem.REORDERED, "entry " + sequence
                        + " does not follow entry " + (sequence - 1)
                        + " (its previous_hash is not that entry's hash): entries were reordered or replaced");
            }
            if (!contentHash.equals(entryHash)) {
                return fail(sequence, Problem.ALTERED, "entry " + sequence
                        + " was altered (its content does not match its hash)");
            }
            previousHash = entryHash;
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
