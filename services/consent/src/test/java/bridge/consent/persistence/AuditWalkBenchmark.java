package bridge.consent.persistence;

import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.AuditVerification;
import bridge.consent.domain.Decision;
import bridge.consent.domain.DenyReason;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How the chunk size of a verification walk ({@link MongoAuditTrail#CHUNK}) trades round trips against
 * the embedded server's per-document check of the {@code $in} list: the full walk of one trail, entries
 * verified per CPU-second of this JVM (client and embedded server; wall time is noisy on a shared
 * machine). Not part of the test command; run with {@code ./mvnw -B -ntp -pl services/consent test
 * -Dtest=AuditWalkBenchmark -Dbridge.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dbridge.bench.entries=100000]}.
 */
@EnabledIfSystemProperty(named = "bridge.bench", matches = "true")
class AuditWalkBenchmark {

    static final int ENTRIES = Integer.getInteger("bridge.bench.entries", 100_000);
    static final int[] CHUNKS = {125, 250, 500, 1000};

    /** The entries of AuditTrailBenchmark: two decisions each. */
    static AuditEvent event(int i) {
        return new AuditEvent(Instant.parse("2026-03-01T10:00:00Z").plusMillis(i),
                new Actor("worker-" + (i % 50), "leeds-housing", AgencyType.HOUSING), "person-" + (i % 10_000),
                Purpose.DIRECT_SUPPORT, List.of(Decision.deny(DataCategory.values()[i % 12], DenyReason.NO_CONSENT),
                        Decision.deny(DataCategory.values()[(i + 1) % 12], DenyReason.NO_CONSENT)), "req-" + i);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void chunkSizes() {
        try (MongoClient client = MongoClients.create(EmbeddedMongo.uri())) {
            MongoDatabase db = client.getDatabase("audit-walk-bench-" + Ids.next());
            try (MongoAuditTrail writer = new MongoAuditTrail(db)) {
                List<AuditEvent> events = new ArrayList<>();
                for (int i = 0; i < ENTRIES; i++) {
                    events.add(event(i));
                    if (events.size() == 500) {
                        writer.append(events);
                        events.clear();
                    }
                }
                writer.append(events);
            }
            for (int round = 1; round <= 3; round++) {
                for (int chunk : CHUNKS) {
                    try (MongoAuditTrail trail = new MongoAuditTrail(db, MongoAuditTrail.MAX_NEW_PER_VERIFICATION, chunk)) {
                        long t = System.nanoTime();
                        long cpu = processCpuNanos();
                        AuditVerification v = trail.verify();
                        long nanos = System.nanoTime() - t;
                        long cpuNanos = processCpuNanos() - cpu;
                        if (!v.intact() || v.entriesChecked() != ENTRIES) {
                            throw new IllegalStateException("verification: " + v);
                        }
                        System.out.printf("BENCH audit walk round %d chunk %d: %d entries in %.0f ms, %.0f entries/s; "
                                        + "%.0f ms CPU, %.0f entries per CPU-second%n", round, chunk, v.entriesChecked(),
                                nanos / 1e6, v.entriesChecked() / (nanos / 1e9), cpuNanos / 1e6,
                                v.entriesChecked() / (cpuNanos / 1e9));
                    }
                }
            }
            db.drop();
        }
    }
}
