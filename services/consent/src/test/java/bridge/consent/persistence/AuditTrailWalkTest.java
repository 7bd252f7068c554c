package bridge.consent.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.AuditVerification;
import bridge.consent.domain.AuditVerification.Problem;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The chain is walked by sequence number in chunks: a call asks for the new entries only, however
 * long the trail, and a missing sequence is reported where it is, whether a chunk is partly or wholly
 * missing and whether or not this process wrote the entries.
 */
class AuditTrailWalkTest {

    MongoDatabase freshDatabase() {
        return EmbeddedMongo.freshDatabase("audit-walk");
    }

    static void append(MongoAuditTrail trail, int from, int count) {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(MongoAuditTrailTest.event("person-" + (i % 7), i));
            if (events.size() == 1000) {
                trail.append(events);
                events.clear();
            }
        }
        trail.append(events);
    }

    static MongoCollection<Document> entries(MongoDatabase db) {
        return db.getCollection("auditTrail");
    }

    @Test
    void onALargeTrailAnIncrementalCallAsksOnlyForTheNewEntries() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail trail = new MongoAuditTrail(db, 200_000)) {
            // 20,000 entries: the count below does not depend on the trail's size (a bigger trail only costs test time)
            append(trail, 1, 20_000);
            AuditVerification first = trail.verifyNew();
            assertThat(first.intact()).isTrue();
            assertThat(first.entriesChecked()).isEqualTo(20_000);

            append(trail, 20_001, 1_200);
            long before = trail.idsLookedUp();
            AuditVerification next = trail.verifyNew();
            long asked = trail.idsLookedUp() - before;
            assertThat(next.intact()).isTrue();
            assertThat(next.entriesChecked()).isEqualTo(1_200);
            // the checkpoint's entry, the new entries, and one chunk that finds the end
            assertThat(asked).isLessThanOrEqualTo(1 + 1_200 + MongoAuditTrail.CHUNK);

            long beforeNothingNew = trail.idsLookedUp();
            assertThat(trail.verifyNew().entriesChecked()).isZero();
            assertThat(trail.idsLookedUp() - beforeNothingNew).isLessThanOrEqualTo(1 + MongoAuditTrail.CHUNK);

            AuditVerification full = trail.verify();
            assertThat(full.intact()).isTrue();
            assertThat(full.entriesChecked()).isEqualTo(21_200);
            assertThat(full.lastHash()).isEqualTo(next.lastHash());
        }
        db.drop();
    }

    @Test
    void anEntryDeletedInTheMiddleIsReportedByTheFullWalk() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail trail = new MongoAuditTrail(db)) {
            append(trail, 1, 2_000);
            entries(db).deleteOne(Filters.eq("_id", 777L));

            AuditVerification v = trail.verify();
            assertThat(v.intact()).isFalse();
            assertThat(v.kind()).isEqualTo(Problem.REMOVED);
            assertThat(v.firstBadSequence()).isEqualTo(777);
            assertThat(v.problem()).contains("entry 777 is missing");
        }
        db.drop();
    }

    @Test
    void entriesDeletedAtAChunksEndAreReportedNotTakenForTheEndOfTheTrail() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail trail = new MongoAuditTrail(db)) {
            append(trail, 1, 2_000);
            int chunk = MongoAuditTrail.CHUNK;
            entries(db).deleteMany(Filters.and(Filters.gte("_id", (long) chunk - 9), Filters.lte("_id", (long) chunk)));

            AuditVerification v = trail.verify();
            assertThat(v.kind()).isEqualTo(Problem.REMOVED);
            assertThat(v.firstBadSequence()).isEqualTo(chunk - 9);
        }
        db.drop();
    }

    @Test
    void moreThanAChunkDeletedIsReportedEvenByAProcessThatDidNotWriteTheTrail() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail writer = new MongoAuditTrail(db)) {
            append(writer, 1, 3_000);
        }
        entries(db).deleteMany(Filters.and(Filters.gte("_id", 1_201L), Filters.lte("_id", 2_400L)));

        // another instance: knows no tail of its own, only how many entries there are
        try (MongoAuditTrail reader = new MongoAuditTrail(db)) {
            AuditVerification full = reader.verify();
            assertThat(full.intact()).isFalse();
            assertThat(full.kind()).isEqualTo(Problem.REMOVED);
            assertThat(full.firstBadSequence()).isEqualTo(1_201);

            AuditVerification incremental = reader.verifyNew();
            assertThat(incremental.kind()).isEqualTo(Problem.REMOVED);
            assertThat(incremental.firstBadSequence()).isEqualTo(1_201);
        }
        db.drop();
    }

    @Test
    void entriesDeletedAfterTheCheckpointAcrossChunksAreReportedByTheIncrementalCall() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail trail = new MongoAuditTrail(db)) {
            append(trail, 1, 1_000);
            assertThat(trail.verifyNew().intact()).isTrue();
            append(trail, 1_001, 2_000);
            entries(db).deleteMany(Filters.and(Filters.gte("_id", 1_400L), Filters.lte("_id", 2_100L)));

            AuditVerification v = trail.verifyNew();
            assertThat(v.kind()).isEqualTo(Problem.REMOVED);
            assertThat(v.firstBadSequence()).isEqualTo(1_400);
            assertThat(v.entriesChecked()).isEqualTo(399);
        }
        db.drop();
    }

    @Test
    void tamperingAfterAtAndBeforeTheCheckpointOfALongTrailIsCaughtWhereItIsRead() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail trail = new MongoAuditTrail(db)) {
            append(trail, 1, 1_500);
            assertThat(trail.verifyNew().intact()).isTrue();
            append(trail, 1_501, 1_500);
            entries(db).updateOne(Filters.eq("_id", 2_345L), Updates.set("personId", "someone-else"));
            AuditVerification after = trail.verifyNew();
            assertThat(after.kind()).isEqualTo(Problem.ALTERED);
            assertThat(after.firstBadSequence()).isEqualTo(2_345);
            assertThat(after.entriesChecked()).isEqualTo(845);

            entries(db).updateOne(Filters.eq("_id", 1_500L), Updates.set("requestId", "forged"));
            AuditVerification at = trail.verifyNew();
            assertThat(at.kind()).isEqualTo(Problem.ALTERED);
            assertThat(at.firstBadSequence()).isEqualTo(1_500);

            entries(db).updateOne(Filters.eq("_id", 1_499L), Updates.set("hash", "0".repeat(64)));
            AuditVerification full = trail.verify();
            assertThat(full.kind()).isEqualTo(Problem.ALTERED);
            assertThat(full.firstBadSequence()).isEqualTo(1_499);
        }
        db.drop();
    }

    @Test
    void anEntryStoredInAnotherShapeIsJudgedByWhatItDecodesTo() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail trail = new MongoAuditTrail(db)) {
            append(trail, 1, 20);
            // the same version in another integer type: the same content, still intact
            entries(db).updateOne(Filters.eq("_id", 5L), Updates.set("decisions.0.consentVersion", 0));
            assertThat(trail.verify().intact()).isTrue();

            entries(db).updateOne(Filters.eq("_id", 7L), Updates.set("personId", 42));
            AuditVerification v = trail.verify();
            assertThat(v.kind()).isEqualTo(Problem.ALTERED);
            assertThat(v.firstBadSequence()).isEqualTo(7);
        }
        db.drop();
    }

    @Test
    void newestEntriesDeletedAreReportedByTheInstanceThatWroteThemOnly() {
        MongoDatabase db = freshDatabase();
        try (MongoAuditTrail writer = new MongoAuditTrail(db)) {
            append(writer, 1, 1_000);
            entries(db).deleteMany(Filters.gte("_id", 901L));

            AuditVerification v = writer.verify();
            assertThat(v.kind()).isEqualTo(Problem.REMOVED);
            assertThat(v.firstBadSequence()).isEqualTo(901);
        }
        // a chain alone cannot show that its newest entries were cut off: that is what an anchor is for
        try (MongoAuditTrail other = new MongoAuditTrail(db)) {
            AuditVerification v = other.verify();
            assertThat(v.intact()).isTrue();
            assertThat(v.entriesChecked()).isEqualTo(900);
        }
        db.drop();
    }
}
