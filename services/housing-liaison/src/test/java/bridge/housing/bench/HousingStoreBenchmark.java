package bridge.housing.bench;

import bridge.housing.domain.HousingSituation;
import bridge.housing.domain.HousingSituationRepository;
import bridge.housing.domain.HousingStatus;
import bridge.housing.persistence.MongoHousingSituationRepository;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Data-access benchmark of the housing situations store (docs/data-access.md): the by-person reads
 * the shared record uses (ListHousingSituations and the "recorded by others?" check), through the
 * repository against the embedded Mongo server (in-memory backend, loopback TCP), at growing numbers
 * of people. Not part of the test command; run with
 * {@code ./mvnw -B -ntp -pl services/housing-liaison test -Dtest=HousingStoreBenchmark -Dbridge.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dbridge.bench.sizes=1000,10000]}.
 */
@EnabledIfSystemProperty(named = "bridge.bench", matches = "true")
class HousingStoreBenchmark {

    static final Actor COUNCIL = new Actor("ho-1", "leeds-housing", AgencyType.HOUSING);
    static final Actor PROBATION = new Actor("po-1", "yorkshire-probation", AgencyType.PROBATION);
    static final int OPS = Integer.getInteger("bridge.bench.ops", 1000);

    @Test
    void byPersonReads() {
        int[] sizes = Arrays.stream(System.getProperty("bridge.bench.sizes", "1000,10000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        try (MongoClient client = MongoClients.create(EmbeddedMongo.uri())) {
            for (int size : sizes) {
                MongoDatabase db = client.getDatabase("housing-bench-" + Ids.next());
                HousingSituationRepository repo = new MongoHousingSituationRepository(db);
                List<String> people = new ArrayList<>(size);
                for (int p = 0; p < size; p++) {
                    String person = Ids.next();
                    people.add(person);
                    repo.insertOnce(situation(person, COUNCIL, LocalDate.of(2025, 1, 1).plusDays(p % 300)), Ids.next());
                    repo.insertOnce(situation(person, PROBATION, LocalDate.of(2025, 6, 1)), Ids.next());
                }
                measure(size, "findRecordedBy(person, all)", i -> repo.findRecordedBy(people.get(i % size), null, null, 50));
                measure(size, "findRecordedBy(person, agency)",
                        i -> repo.findRecordedBy(people.get(i % size), COUNCIL.agency(), null, 50));
                measure(size, "existsRecordedByOtherThan", i -> repo.existsRecordedByOtherThan(people.get(i % size), "x"));
                db.drop();
            }
        }
    }

    static HousingSituation situation(String person, Actor by, LocalDate start) {
        return new HousingSituation(Ids.next(), person, HousingStatus.ROUGH_SLEEPING, start, "E08000035", "", by,
                Instant.now(), 1);
    }

    /** Warm-up of OPS/2 calls, then OPS timed calls one after another (single thread: latency, not saturation). */
    static void measure(int size, String what, IntConsumer op) {
        for (int i = 0; i < OPS / 2; i++) {
            op.accept(i * 7919);
        }
        long[] nanos = new long[OPS];
        long start = System.nanoTime();
        for (int i = 0; i < OPS; i++) {
            long t = System.nanoTime();
            op.accept(i * 104729 + 13);
            nanos[i] = System.nanoTime() - t;
        }
        long elapsed = System.nanoTime() - start;
        Arrays.sort(nanos);
        System.out.printf("BENCH housing people=%d %-32s %8.0f ops/s p50 %.3f ms p99 %.3f ms%n", size, what,
                OPS / (elapsed / 1e9), nanos[OPS / 2] / 1e6, nanos[(int) (OPS * 0.99)] / 1e6);
    }
}
