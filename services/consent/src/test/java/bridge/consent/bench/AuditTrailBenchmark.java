package bridge.consent.bench;

import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.AuditVerification;
import bridge.consent.domain.Decision;
import bridge.consent.domain.DenyReason;
import bridge.consent.persistence.MongoAuditTrail;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Data-access benchmark of the audit trail (docs/data-access.md): append rate with many concurrent
 * appenders (group commit) and chain verification rate, against the embedded Mongo server
 * (in-memory backend, loopback TCP). Not part of the test command; run with
 * {@code ./mvnw -B -ntp -pl services/consent test -Dtest=AuditTrailBenchmark -Dbridge.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dbridge.bench.entries=200000]}.
 */
@EnabledIfSystemProperty(named = "bridge.bench", matches = "true")
class AuditTrailBenchmark {

    static final int ENTRIES = Integer.getInteger("bridge.bench.entries", 200_000);
    static final int APPENDERS = Integer.getInteger("bridge.bench.appenders", 64);

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
    void appendsAndVerification() throws Exception {
        try (MongoClient client = MongoClients.create(EmbeddedMongo.uri())) {
            MongoDatabase db = client.getDatabase("audit-bench-" + Ids.next());
            try (MongoAuditTrail trail = new MongoAuditTrail(db)) {
                ExecutorService pool = Executors.newFixedThreadPool(APPENDERS);
                AtomicInteger next = new AtomicInteger();
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < APPENDERS; t++) {
                    done.add(pool.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < ENTRIES) {
                            trail.append(List.of(event(i)));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                long appendNanos = System.nanoTime() - start;
                long appendCpu = processCpuNanos() - cpuStart;
                pool.shutdown();
                System.out.printf("BENCH audit append %d entries, %d appenders: %.0f appends/s; %.0f appends per CPU-second%n",
                        ENTRIES, APPENDERS, ENTRIES / (appendNanos / 1e9), ENTRIES / (appendCpu / 1e9));
                for (int round = 1; round <= 3; round++) {
                    long t = System.nanoTime();
                    long cpu = processCpuNanos();
                    AuditVerification v = trail.verify();
                    long nanos = System.nanoTime() - t;
                    long cpuNanos = processCpuNanos() - cpu;
                    if (!v.intact() || v.entriesChecked() != ENTRIES) {
                        throw new IllegalStateException("verification: " + v);
                    }
                    // CPU seconds of this JVM (client and embedded server) too: wall time is noisy on a shared machine
                    System.out.printf("BENCH audit verify round %d: %d entries in %.0f ms, %.0f entries/s; %.0f ms CPU, "
                                    + "%.0f entries per CPU-second%n", round, v.entriesChecked(), nanos / 1e6,
                            v.entriesChecked() / (nanos / 1e9), cpuNanos / 1e6, v.entriesChecked() / (cpuNanos / 1e9));
                }
                // incremental: the full walks above left the checkpoint at the head; append a tenth more
                int more = ENTRIES / 10;
                for (int i = 0; i < more; i += 100) {
                    List<AuditEvent> events = new ArrayList<>();
                    for (int j = i; j < i + 100; j++) {
                        events.add(event(ENTRIES + j));
                    }
                    trail.append(events);
                }
                long t = System.nanoTime();
                AuditVerification v = trail.verifyNew();
                long nanos = System.nanoTime() - t;
                if (!v.intact() || v.entriesChecked() != more) {
                    throw new IllegalStateException("incremental verification: " + v);
                }
                System.out.printf("BENCH audit verifyNew: %d new entries on a trail of %d in %.0f ms%n", more,
                        ENTRIES + more, nanos / 1e6);
            }
            db.drop();
        }
    }
}
