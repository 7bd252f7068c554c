package bridge.consent.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.consent.domain.AuditEntry;
import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.AuditVerification;
import bridge.consent.domain.Decision;
import bridge.consent.domain.DenyReason;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The chain under concurrent appenders: several threads, and two instances (as two service replicas would be). */
class MongoAuditTrailTest {

    MongoDatabase freshDatabase() {
        return EmbeddedMongo.freshDatabase("audit");
    }

    static AuditEvent event(String person, int i) {
        return new AuditEvent(Instant.parse("2026-03-01T10:00:00Z").plusMillis(i),
                new Actor("w" + i, "leeds-housing", AgencyType.HOUSING), person, Purpose.REFERRAL,
                List.of(Decision.deny(DataCategory.values()[i % 12], DenyReason.NO_CONSENT)), "req-" + i);
    }

    @Test
    void concurrentAppendersFromTwoInstancesNeverForkTheChain() throws Exception {
        MongoDatabase db = freshDatabase();
        MongoAuditTrail a = new MongoAuditTrail(db);
        MongoAuditTrail b = new MongoAuditTrail(db);
        int threads = 8;
        int appendsPerThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<AuditEntry>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            MongoAuditTrail trail = t % 2 == 0 ? a : b;
            String person = "person-" + t;
            results.add(pool.submit(() -> {
                start.await();
                List<AuditEntry> mine = new ArrayList<>();
                for (int i = 0; i < appendsPerThread; i++) {
                    // now and then an append of several events
                    List<AuditEvent> events = i % 10 == 0 ? List.of(event(person, i), event(person, i + 1))
                            : List.of(event(person, i));
                    List<AuditEntry> stored = trail.append(events);
                    assertThat(stored).extracting(e -> e.event()).isEqualTo(events);
                    mine.addAll(stored);
                }
                return mine;
            }));
        }
        start.countDown();
        List<AuditEntry> all = new ArrayList<>();
        for (Future<List<AuditEntry>> f : results) {
            List<AuditEntry> mine = f.get(60, TimeUnit.SECONDS);
            // each appender's entries are in the order it appended them
            for (int i = 1; i < mine.size(); i++) {
                assertThat(mine.get(i).sequence()).isGreaterThan(mine.get(i - 1).sequence());
            }
            all.addAll(mine);
        }
        pool.shutdown();
        int expected = threads * (appendsPerThread + appendsPerThread / 10);
        assertThat(all).hasSize(expected);
        assertThat(all).extracting(AuditEntry::sequence).doesNotHaveDuplicates()
                .allMatch(s -> s >= 1 && s <= expected);
        assertThat(db.getCollection("auditTrail").countDocuments()).isEqualTo(expected);

        AuditVerification v = a.verify();
        assertThat(v.intact()).as(v.problem()).isTrue();
        assertThat(v.entriesChecked()).isEqualTo(expected);
        // what each caller was told is what is stored
        for (AuditEntry e : all) {
            Document stored = db.getCollection("auditTrail").find(new Document("_id", e.sequence())).first();
            assertThat(stored.getString("hash")).isEqualTo(e.hash());
        }
        assertThat(b.aboutPerson("person-3", Long.MAX_VALUE, 1000)).hasSize(appendsPerThread + appendsPerThread / 10)
                .extracting(AuditEntry::sequence).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        a.close();
        b.close();
    }

    @Test
    void anInstanceWhoseCachedTailIsStaleRereadsItAndCarriesOn() {
        MongoDatabase db = freshDatabase();
        MongoAuditTrail a = new MongoAuditTrail(db);
        MongoAuditTrail b = new MongoAuditTrail(db);
        assertThat(a.append(List.of(event("p", 1))).getFirst().sequence()).isEqualTo(1);
        assertThat(b.append(List.of(event("p", 2), event("p", 3)))).extracting(AuditEntry::sequence).containsExactly(2L, 3L);
        // a still believes the tail is 1: its insert of 2 loses, it re-reads and appends as 4
        assertThat(a.append(List.of(event("p", 4), event("p", 5)))).extracting(AuditEntry::sequence).containsExactly(4L, 5L);
        assertThat(b.verify().intact()).isTrue();
        assertThat(b.verify().entriesChecked()).isEqualTo(5);
        assertThat(a.append(List.of())).isEmpty();
        a.close();
        b.close();
    }

    @Test
    void afterCloseAppendsFailClosed() {
        MongoAuditTrail a = new MongoAuditTrail(freshDatabase());
        a.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.append(List.of(event("p", 1))))
                .isInstanceOf(bridge.support.errors.UnavailableException.class);
    }
}
