package bridge.referrals.bench;

import bridge.referrals.domain.HistoryEntry;
import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayFixtures;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.ReferralRepository;
import bridge.referrals.domain.ReferralStatus;
import bridge.referrals.domain.Transition;
import bridge.referrals.persistence.MongoReferralRepository;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Data-access benchmark of the referral store (docs/data-access.md): the by-person reads the shared
 * record and ListReferrals use, and the writes of a referral's create + accept, through the
 * repository against the embedded Mongo server (in-memory backend, over loopback TCP), at growing
 * numbers of people. Not part of the test command; run with
 * {@code ./mvnw -B -ntp -pl services/referrals test -Dtest=ReferralStoreBenchmark -Dbridge.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dbridge.bench.sizes=1000,10000]}.
 */
@EnabledIfSystemProperty(named = "bridge.bench", matches = "true")
class ReferralStoreBenchmark {

    static final Actor SENDER = new Actor("rp-1", "hmp-leeds", AgencyType.PRISON);
    static final Actor RECEIVER = new Actor("kw-1", "forward-leeds", AgencyType.TREATMENT);
    static final int PER_PERSON = 3;
    static final int OPS = Integer.getInteger("bridge.bench.ops", 2000);

    @Test
    void byPersonReadsAndCreateAccept() {
        int[] sizes = Arrays.stream(System.getProperty("bridge.bench.sizes", "1000,10000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        try (MongoClient client = MongoClients.create(EmbeddedMongo.uri())) {
            for (int size : sizes) {
                MongoDatabase db = client.getDatabase("referrals-bench-" + Ids.next());
                ReferralRepository repo = new MongoReferralRepository(db);
                List<String> people = new ArrayList<>(size);
                long seedStart = System.nanoTime();
                for (int p = 0; p < size; p++) {
                    String person = Ids.next();
                    people.add(person);
                    for (int r = 0; r < PER_PERSON; r++) {
                        repo.insertOnce(referral(person), Ids.next());
                    }
                }
                report(size, "seed insertOnce", size * PER_PERSON, System.nanoTime() - seedStart, null);
                measure(size, "findAbout(person, all)", i -> repo.findAbout(people.get(i % size), null, null, 50));
                measure(size, "findAbout(person, agency)", i -> repo.findAbout(people.get(i % size), "hmp-leeds", null, 50));
                measure(size, "existsNotInvolving", i -> repo.existsNotInvolving(people.get(i % size), "somewhere-else"));
                measure(size, "create+accept", i -> {
                    Referral sent = repo.insertOnce(referral(people.get(i % size)), Ids.next());
                    Referral current = repo.findById(sent.id()).orElseThrow();
                    Instant at = Instant.now();
                    HistoryEntry entry = new HistoryEntry(Transition.ACCEPT, current.status(), ReferralStatus.ACCEPTED,
                            RECEIVER, at, null);
                    if (!repo.applyTransition(current.after(entry), current.version(), entry)) {
                        throw new IllegalStateException("accept lost");
                    }
                });
                db.drop();
            }
        }
    }

    static Referral referral(String person) {
        Instant now = Instant.now();
        return new Referral(Ids.next(), person, Pathway.CUSTODY_RELEASE_TREATMENT, SENDER, RECEIVER.agency(),
                ReferralStatus.REQUESTED, "continuity of care", now, now, 1, List.of(),
                PathwayFixtures.details(Pathway.CUSTODY_RELEASE_TREATMENT), null, Set.of());
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
        report(size, what, OPS, System.nanoTime() - start, nanos);
    }

    static void report(int size, String what, int ops, long elapsed, long[] nanos) {
        String latency = "";
        if (nanos != null) {
            Arrays.sort(nanos);
            latency = String.format(" p50 %.3f ms p99 %.3f ms", nanos[nanos.length / 2] / 1e6,
                    nanos[(int) (nanos.length * 0.99)] / 1e6);
        }
        System.out.printf("BENCH referrals people=%d %-28s %8.0f ops/s%s%n", size, what, ops / (elapsed / 1e9), latency);
    }
}
