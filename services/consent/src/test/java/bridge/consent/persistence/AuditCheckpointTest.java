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

/** Incremental verification from a checkpoint: only what is new is read, and tampering is still found where it is read. */
class AuditCheckpointTest {

    MongoDatabase db;
    MongoAuditTrail trail;

    MongoAuditTrail fresh(int perCall) {
        db = EmbeddedMongo.freshDatabase("audit-checkpoint");
        trail = new MongoAuditTrail(db, perCall);
        return trail;
    }

    void append(int from, int count) {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(MongoAuditTrailTest.event("person-" + (i % 3), i));
        }
        trail.append(events);
    }

    MongoCollection<Document> entries() {
        return db.getCollection("auditTrail");
    }

    @Test
    void eachCallReadsOnlyWhatIsNewAndEndsWhereTheFullWalkEnds() {
        fresh(1000);
        append(1, 10);
        AuditVerification first = trail.verifyNew();
        assertThat(first.intact()).isTrue();
        assertThat(first.entriesChecked()).isEqualTo(10);

        append(11, 5);
        AuditVerification second = trail.verifyNew();
        assertThat(second.intact()).isTrue();
        assertThat(second.entriesChecked()).isEqualTo(5);
        assertThat(second.lastHash()).isEqualTo(trail.verify().lastHash());

        AuditVerification nothingNew = trail.verifyNew();
        assertThat(nothingNew.intact()).isTrue();
        assertThat(nothingNew.entriesChecked()).isZero();
        assertThat(nothingNew.lastHash()).isEqualTo(second.lastHash());
        trail.close();
    }

    @Test
    void aLongTrailIsVerifiedInBoundedStepsThatContinueEachOther() {
        fresh(4);
        append(1, 10);
        assertThat(trail.verifyNew().entriesChecked()).isEqualTo(4);
        assertThat(trail.verifyNew().entriesChecked()).isEqualTo(4);
        AuditVerification last = trail.verifyNew();
        assertThat(last.entriesChecked()).isEqualTo(2);
        assertThat(last.lastHash()).isEqualTo(trail.verify().lastHash());
        trail.close();
    }

    @Test
    void anEntryAlteredAfterTheCheckpointIsFound() {
        fresh(1000);
        append(1, 10);
        trail.verifyNew();
        append(11, 5);
        entries().updateOne(Filters.eq("_id", 13L), Updates.set("personId", "someone-else"));

        AuditVerification v = trail.verifyNew();
        assertThat(v.intact()).isFalse();
        assertThat(v.kind()).isEqualTo(Problem.ALTERED);
        assertThat(v.firstBadSequence()).isEqualTo(13);
        trail.close();
    }

    @Test
    void anEntryRemovedAfterTheCheckpointIsFound() {
        fresh(1000);
        append(1, 10);
        trail.verifyNew();
        append(11, 5);
        entries().deleteOne(Filters.eq("_id", 12L));

        AuditVerification v = trail.verifyNew();
        assertThat(v.kind()).isEqualTo(Problem.REMOVED);
        assertThat(v.firstBadSequence()).isEqualTo(12);
        trail.close();
    }

    @Test
    void theEntryAtTheCheckpointAlteredOrRemovedIsFound() {
        fresh(1000);
        append(1, 10);
        trail.verifyNew();
        entries().updateOne(Filters.eq("_id", 10L), Updates.set("requestId", "forged"));
        AuditVerification altered = trail.verifyNew();
        assertThat(altered.intact()).isFalse();
        assertThat(altered.kind()).isEqualTo(Problem.ALTERED);
        assertThat(altered.firstBadSequence()).isEqualTo(10);

        entries().deleteOne(Filters.eq("_id", 10L));
        AuditVerification removed = trail.verifyNew();
        assertThat(removed.kind()).isEqualTo(Problem.REMOVED);
        assertThat(removed.firstBadSequence()).isEqualTo(10);
        trail.close();
    }

    @Test
    void anAlteredCheckpointIsFound() {
        fresh(1000);
        append(1, 10);
        trail.verifyNew();
        db.getCollection("auditCheckpoints").updateOne(Filters.eq("_id", "verified"), Updates.set("hash", "f".repeat(64)));

        AuditVerification v = trail.verifyNew();
        assertThat(v.intact()).isFalse();
        assertThat(v.kind()).isEqualTo(Problem.ALTERED);
        assertThat(v.firstBadSequence()).isEqualTo(10);
        trail.close();
    }

    @Test
    void anEntryAlteredBeforeTheCheckpointNeedsTheFullWalk() {
        fresh(1000);
        append(1, 10);
        trail.verifyNew();
        entries().updateOne(Filters.eq("_id", 4L), Updates.set("purpose", "RISK_MANAGEMENT"));

        // not re-read by the incremental call: that is what full is for
        assertThat(trail.verifyNew().intact()).isTrue();
        AuditVerification full = trail.verify();
        assertThat(full.intact()).isFalse();
        assertThat(full.kind()).isEqualTo(Problem.ALTERED);
        assertThat(full.firstBadSequence()).isEqualTo(4);
        trail.close();
    }
}
