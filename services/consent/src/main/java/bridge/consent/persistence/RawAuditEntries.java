package bridge.consent.persistence;

import bridge.consent.domain.AuditChain;
import bridge.consent.domain.DenyReason;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.AgencyType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an audit entry for verification straight from its BSON bytes, as {@link MongoAuditTrail#asDocument}
 * wrote them: the values the canonical encoding needs are fed to {@link AuditChain.Canonical} as the
 * stored UTF-8 bytes, with no document, event or string built on the way (decoding is most of what a
 * walk costs). BSON keeps strings as UTF-8, and the canonical encoding is the UTF-8 of the same
 * strings, so the bytes hashed are the bytes the writer hashed.
 *
 * <p>Only the shape the writer produces is read here: strings where it writes strings (or null or
 * absent, hashed as empty, as the decoded form is), the enum names it writes, a date, a boolean, an
 * integer version. Anything else returns null, and the caller decodes that entry the ordinary way,
 * whose verdict stands — so an entry this reader cannot vouch for is judged exactly as before.
 */
final class RawAuditEntries {

    /** What one entry says of itself, and what its content hashes to now. */
    record Sealed(String previousHash, String hash, String contentHash) {
    }

    private static final byte STRING = 0x02;
    private static final byte DOCUMENT = 0x03;
    private static final byte ARRAY = 0x04;
    private static final byte BOOLEAN = 0x08;
    private static final byte DATE = 0x09;
    private static final byte NULL = 0x0A;
    private static final byte INT32 = 0x10;
    private static final byte INT64 = 0x12;
    private static final int ABSENT = -1;

    private static final Set<String> AGENCY_TYPES = names(AgencyType.values());
    private static final Set<String> PURPOSES = names(Purpose.values());
    private static final Set<String> CATEGORIES = names(DataCategory.values());
    private static final Set<String> DENY_REASONS = names(DenyReason.values());

    private RawAuditEntries() {
    }

    /**
     * The entry whose BSON document is {@code document} (index 0 = its first byte) at {@code sequence};
     * null when it is not of the writer's shape (decode it instead).
     */
    static Sealed read(ByteBuffer document, long sequence, AuditChain.Canonical canonical) {
        ByteBuffer bson = document.slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            Fields top = new Fields(bson, 0, TOP_LEVEL);
            if (top.unreadable || top.type[TIME] != DATE || top.type[ACTOR] != DOCUMENT || top.type[DECISIONS] != ARRAY) {
                return null;
            }
            Fields actor = new Fields(bson, top.value[ACTOR], ACTOR_FIELDS);
            canonical.restart(sequence);
            canonical.number(bson.getLong(top.value[TIME]));
            if (actor.unreadable || !text(canonical, actor, SUBJECT) || !text(canonical, actor, AGENCY)
                    || !name(canonical, actor, AGENCY_TYPE, AGENCY_TYPES)
                    || !text(canonical, top, PERSON_ID) || !name(canonical, top, PURPOSE, PURPOSES)
                    || !text(canonical, top, REQUEST_ID) || !decisions(canonical, bson, top.value[DECISIONS])) {
                return null;
            }
            if (!text(canonical, top, PREVIOUS_HASH)) {
                return null;
            }
            return new Sealed(string(top, PREVIOUS_HASH), string(top, HASH), canonical.hash());
        } catch (IndexOutOfBoundsException | IllegalArgumentException malformed) {
            return null;
        }
    }

    private static boolean decisions(AuditChain.Canonical canonical, ByteBuffer bson, int array) {
        int end = array + bson.getInt(array) - 1;
        int count = 0;
        for (int at = array + 4; at < end; at = skip(bson, at)) {
            if (bson.get(at) != DOCUMENT) {
                return false;
            }
            count++;
        }
        canonical.number(count);
        for (int at = array + 4; at < end; at = skip(bson, at)) {
            Fields d = new Fields(bson, valueOffset(bson, at), DECISION_FIELDS);
            if (d.unreadable || d.type[ALLOWED] != BOOLEAN || !name(canonical, d, CATEGORY, CATEGORIES)) {
                return false;
            }
            canonical.text(bson.get(d.value[ALLOWED]) != 0 ? "allow" : "deny");
            if (!text(canonical, d, CONSENT_ID)) {
                return false;
            }
            switch (d.type[CONSENT_VERSION]) {
                case ABSENT, NULL -> canonical.number(0);
                case INT32 -> canonical.number(bson.getInt(d.value[CONSENT_VERSION]));
                case INT64 -> canonical.number(bson.getLong(d.value[CONSENT_VERSION]));
                default -> {
                    return false;
                }
            }
            if (!text(canonical, d, LEGAL_BASIS_ID)) {
                return false;
            }
            if (d.type[DENY_REASON] == ABSENT || d.type[DENY_REASON] == NULL) {
                canonical.text("");
            } else if (!name(canonical, d, DENY_REASON, DENY_REASONS)) {
                return false;
            }
        }
        return true;
    }

    /** A string field (null or absent: the empty value) as its stored bytes; false for another type. */
    private static boolean text(AuditChain.Canonical canonical, Fields fields, int field) {
        switch (fields.type[field]) {
            case ABSENT, NULL -> canonical.text("");
            case STRING -> {
                int at = fields.value[field];
                canonical.utf8(fields.bson, at + 4, stringLength(fields.bson, at));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A string field that must hold one of {@code names}; false otherwise (nothing written then). */
    private static boolean name(AuditChain.Canonical canonical, Fields fields, int field, Set<String> names) {
        String value = fields.type[field] == STRING ? string(fields, field) : null;
        if (value == null || !names.contains(value)) {
            return false;
        }
        canonical.text(value);
        return true;
    }

    private static String string(Fields fields, int field) {
        if (fields.type[field] != STRING) {
            return null;
        }
        int at = fields.value[field];
        byte[] bytes = new byte[stringLength(fields.bson, at)];
        fields.bson.get(at + 4, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int stringLength(ByteBuffer bson, int at) {
        int length = bson.getInt(at) - 1;
        if (length < 0 || bson.get(at + 4 + length) != 0) {
            throw new IllegalArgumentException("malformed BSON string");
        }
        return length;
    }

    // top-level fields
    private static final int TIME = 0;
    private static final int ACTOR = 1;
    private static final int PERSON_ID = 2;
    private static final int PURPOSE = 3;
    private static final int DECISIONS = 4;
    private static final int REQUEST_ID = 5;
    private static final int PREVIOUS_HASH = 6;
    private static final int HASH = 7;
    private static final byte[][] TOP_LEVEL = utf8("time", "actor", "personId", "purpose", "decisions", "requestId",
            "previousHash", "hash");
    // actor fields
    private static final int SUBJECT = 0;
    private static final int AGENCY = 1;
    private static final int AGENCY_TYPE = 2;
    private static final byte[][] ACTOR_FIELDS = utf8("subject", "agency", "agencyType");
    // decision fields
    private static final int CATEGORY = 0;
    private static final int ALLOWED = 1;
    private static final int CONSENT_ID = 2;
    private static final int CONSENT_VERSION = 3;
    private static final int LEGAL_BASIS_ID = 4;
    private static final int DENY_REASON = 5;
    private static final byte[][] DECISION_FIELDS = utf8("category", "allowed", "consentId", "consentVersion",
            "legalBasisId", "denyReason");

    /** Where the named fields of one BSON document are: type and value offset per name (the last of duplicates, as decoding keeps). */
    private static final class Fields {
        final ByteBuffer bson;
        final int[] type;
        final int[] value;
        final boolean unreadable;

        Fields(ByteBuffer bson, int document, byte[][] names) {
            this.bson = bson;
            this.type = new int[names.length];
            this.value = new int[names.length];
            Arrays.fill(type, ABSENT);
            int end = document + bson.getInt(document) - 1;
            if (bson.get(end) != 0) {
                throw new IllegalArgumentException("malformed BSON document");
            }
            boolean bad = false;
            for (int at = document + 4; at < end; at = skip(bson, at)) {
                int name = at + 1;
                for (int i = 0; i < names.length; i++) {
                    if (nameIs(bson, name, names[i])) {
                        int t = bson.get(at);
                        type[i] = t;
                        value[i] = valueOffset(bson, at);
                        bad |= t != STRING && t != NULL && t != DOCUMENT && t != ARRAY && t != BOOLEAN && t != DATE
                                && t != INT32 && t != INT64;
                    }
                }
            }
            this.unreadable = bad;
        }
    }

    private static boolean nameIs(ByteBuffer bson, int at, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (bson.get(at + i) != name[i]) {
                return false;
            }
        }
        return bson.get(at + name.length) == 0;
    }

    /** Offset of the value of the element at {@code element} (after its type byte and name). */
    private static int valueOffset(ByteBuffer bson, int element) {
        int at = element + 1;
        while (bson.get(at) != 0) {
            at++;
        }
        return at + 1;
    }

    /** Offset of the element after the one at {@code element}. */
    private static int skip(ByteBuffer bson, int element) {
        int value = valueOffset(bson, element);
        return switch (bson.get(element)) {
            case 0x01, DATE, 0x11, INT64 -> value + 8;
            case STRING, 0x0D, 0x0E -> value + 4 + bson.getInt(value);
            case DOCUMENT, ARRAY -> value + bson.getInt(value);
            case 0x05 -> value + 5 + bson.getInt(value);
            case 0x06, NULL, 0x7F, (byte) 0xFF -> value;
            case 0x07 -> value + 12;
            case BOOLEAN -> value + 1;
            case INT32 -> value + 4;
            case 0x13 -> value + 16;
            default -> throw new IllegalArgumentException("BSON type not read here");
        };
    }

    private static byte[][] utf8(String... names) {
        return Arrays.stream(names).map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toUnmodifiableSet());
    }
}
