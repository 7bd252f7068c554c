package bridge.consent.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.consent.domain.AuditChain;
import bridge.consent.domain.AuditEntry;
import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.Decision;
import bridge.consent.domain.DenyReason;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.Test;

/** Hashing an entry from its stored bytes gives the hash the writer computed from the event, for every stored shape it writes. */
class RawAuditEntriesTest {

    /** The event of AuditChainTest's worked example, whose hash was computed outside Java. */
    static final AuditEvent DOCUMENTED = new AuditEvent(Instant.parse("2026-03-01T10:00:00Z"),
            new Actor("pc-1", "met-police", AgencyType.POLICE), "abcdefghijkmnpqrstuv", Purpose.RISK_MANAGEMENT,
            List.of(new Decision(DataCategory.RISK, true, null, 0, "lb1", null),
                    Decision.deny(DataCategory.MENTAL_HEALTH, DenyReason.HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT)),
            "req-1");

    static RawBsonDocument stored(Document document) {
        return new RawBsonDocument(document, new DocumentCodec());
    }

    static RawAuditEntries.Sealed read(Document document, long sequence) {
        return RawAuditEntries.read(stored(document).getByteBuffer().asNIO(), sequence, new AuditChain.Canonical(0));
    }

    @Test
    void theDocumentedEntryAsStoredHashesToTheDocumentedHash() {
        AuditEntry entry = AuditChain.seal(1, DOCUMENTED, AuditChain.GENESIS);
        RawAuditEntries.Sealed sealed = read(MongoAuditTrail.asDocument(entry), 1);
        assertThat(sealed.contentHash()).isEqualTo("4a6ee84478e46e2b60db0184efa616563fe2e7e0b2c165a4c490829766494db9");
        assertThat(sealed.hash()).isEqualTo(sealed.contentHash());
        assertThat(sealed.previousHash()).isEqualTo(AuditChain.GENESIS);
    }

    @Test
    void everyShapeTheWriterProducesHashesAsTheEventDoes() {
        Random random = new Random(9);
        String[] texts = {"", "a", "ünïcødé", "日本語", "emoji \uD83D\uDE00", "comma, colon: 3:abc,", "x".repeat(300)};
        AuditChain.Canonical reused = new AuditChain.Canonical(0);
        String previous = AuditChain.GENESIS;
        for (int i = 1; i <= 500; i++) {
            List<Decision> decisions = new ArrayList<>();
            for (int d = 0; d < random.nextInt(14); d++) {
                DataCategory category = DataCategory.values()[random.nextInt(DataCategory.values().length)];
                decisions.add(switch (random.nextInt(3)) {
                    case 0 -> new Decision(category, true, texts[random.nextInt(texts.length)], random.nextLong(1, Long.MAX_VALUE), null, null);
                    case 1 -> new Decision(category, true, null, 0, texts[random.nextInt(texts.length)], null);
                    default -> Decision.deny(category, DenyReason.values()[random.nextInt(DenyReason.values().length)]);
                });
            }
            AuditEvent event = new AuditEvent(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)),
                    new Actor(texts[random.nextInt(texts.length)], texts[random.nextInt(texts.length)],
                            AgencyType.values()[random.nextInt(AgencyType.values().length)]),
                    random.nextInt(10) == 0 ? null : texts[random.nextInt(texts.length)],
                    Purpose.values()[random.nextInt(Purpose.values().length)], decisions,
                    random.nextInt(10) == 0 ? null : "req-" + i);
            AuditEntry entry = AuditChain.seal(i, event, previous);
            RawAuditEntries.Sealed sealed = RawAuditEntries.read(stored(MongoAuditTrail.asDocument(entry))
                    .getByteBuffer().asNIO(), i, reused);
            assertThat(sealed).as("entry %d", i).isNotNull();
            assertThat(sealed.contentHash()).as("entry %d", i).isEqualTo(entry.hash());
            assertThat(sealed.previousHash()).isEqualTo(previous);
            previous = entry.hash();
        }
    }

    @Test
    void aVersionStoredAsA32BitIntegerHashesAsTheSameNumber() {
        AuditEvent event = new AuditEvent(Instant.parse("2026-03-01T10:00:00Z"), new Actor("w", "a", AgencyType.HOUSING),
                "p", Purpose.DIRECT_SUPPORT, List.of(new Decision(DataCategory.HOUSING, true, "c1", 7, null, null)), "r");
        AuditEntry entry = AuditChain.seal(3, event, AuditChain.GENESIS);
        Document document = MongoAuditTrail.asDocument(entry);
        document.getList("decisions", Document.class).getFirst().put("consentVersion", 7);
        assertThat(read(document, 3).contentHash()).isEqualTo(entry.hash());
    }

    @Test
    void shapesTheWriterNeverProducesAreLeftToTheDecodedPath() {
        AuditEntry entry = AuditChain.seal(1, DOCUMENTED, AuditChain.GENESIS);
        List<Consumer<Document>> oddities = List.of(
                d -> d.put("time", "2026-03-01T10:00:00Z"),
                d -> d.put("actor", null),
                d -> d.remove("decisions"),
                d -> d.put("personId", 42),
                d -> d.put("purpose", "GOSSIP"),
                d -> d.get("actor", Document.class).put("agencyType", "SPIES"),
                d -> d.getList("decisions", Document.class).getFirst().put("category", "SHOE_SIZE"),
                d -> d.getList("decisions", Document.class).getFirst().put("allowed", "yes"),
                d -> d.getList("decisions", Document.class).getFirst().put("consentVersion", 1.5),
                d -> d.getList("decisions", Document.class).getLast().put("denyReason", "BECAUSE"),
                d -> d.put("decisions", List.of("not a decision")));
        for (Consumer<Document> oddity : oddities) {
            Document document = MongoAuditTrail.asDocument(entry);
            oddity.accept(document);
            assertThat(read(document, 1)).as(document.toJson()).isNull();
        }
    }
}
