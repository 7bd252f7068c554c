package bridge.e2e;

import static bridge.e2e.CustodyReleasePathwayTest.CUSTODY;
import static bridge.e2e.CustodyReleasePathwayTest.UK;
import static bridge.e2e.CustodyReleasePathwayTest.create;
import static bridge.e2e.CustodyReleasePathwayTest.person;
import static bridge.e2e.CustodyReleasePathwayTest.referral;
import static bridge.e2e.Drills.assertOutageProblem;
import static bridge.e2e.Drills.retryUntilOk;
import static bridge.e2e.Platform.request;
import static bridge.e2e.Platform.send;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.local.LocalPlatform;
import bridge.support.testing.TcpProxy;
import com.jayway.jsonpath.JsonPath;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failure drills (issue #9) against the database, end to end through the gateway with real Keycloak
 * tokens. The people directory, consent, referral and housing services are restarted to reach the
 * embedded Mongo server through a {@link TcpProxy} in this JVM:
 * <ul>
 * <li>stopped (connections cut, new ones refused) while four kinds of writes run concurrently: every
 * failed write is 503 problem+json, nothing is half-written, and retries with the same idempotency
 * keys succeed exactly once after the server is back, with no repair;</li>
 * <li>hung (connections stay open, nothing is forwarded): calls fail within the gateway's deadline
 * with 503/504 problem+json, the threads serving them do not pile up, and it recovers afterwards.</li>
 * </ul>
 * Afterwards the services are restarted on the platform's own Mongo URI for the other tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MongoOutageGatewayDrillTest {

    static final List<String> PROXIED = List.of("people-directory", "consent", "referrals", "housing-liaison");
    static final Duration RECOVERY = Duration.ofSeconds(90);

    private TcpProxy mongo;
    private final Map<String, String> originalUri = new HashMap<>();

    @BeforeAll
    void throughTheProxy() {
        LocalPlatform platform = Platform.get();
        URI direct = URI.create(platform.mongoUri());
        mongo = new TcpProxy(direct.getHost(), direct.getPort()).start();
        for (String s : PROXIED) {
            originalUri.put(s, platform.serviceMongoUri(s));
            platform.stopService(s);
            platform.startService(s, Map.of("spring.mongodb.uri", "mongodb://127.0.0.1:" + mongo.port()));
        }
    }

    @AfterAll
    void backToTheServer() {
        LocalPlatform platform = Platform.get();
        mongo.resume();
        mongo.start();
        for (String s : PROXIED) {
            platform.stopService(s);
            platform.startService(s, Map.of("spring.mongodb.uri", originalUri.get(s)));
        }
        mongo.close();
    }

    /** One kind of write: what it sends for a key, and how to list what exists afterwards. */
    record Kind(String name, Function<String, HttpResponse<String>> send, String listPath, String listField) {
    }

    record Attempt(Kind kind, String key, HttpResponse<String> response, long nanos, long endedAt) {
        boolean ok() {
            return response.statusCode() == 200;
        }
    }

    private List<Kind> kinds(String run) {
        String prison = user("hmp-leeds-worker");
        String referred = person(prison, "MongoDrillReferred");
        String consenting = person(prison, "MongoDrillConsenting");
        String housed = person(prison, "MongoDrillHoused");
        String referralBody = referral(referred, LocalDate.now(UK).plusWeeks(6), "PATHWAY_CUSTODY_RELEASE_TREATMENT", CUSTODY);
        return List.of(
                new Kind("referral", key -> create(prison, referralBody, key), "/v1/" + referred + "/referrals", "referrals"),
                new Kind("consent", key -> ServiceKillDrillTest.recordConsent(prison, consenting, key),
                        "/v1/" + consenting + "/consents", "consents"),
                new Kind("housing", key -> post(prison, "/v1/" + housed + "/housingSituations", key, """
                        {"status":"HOUSING_STATUS_HOSTEL","startDate":{"year":2026,"month":2,"day":1},"note":"drill"}"""),
                        "/v1/" + housed + "/housingSituations", "housingSituations"),
                new Kind("person", key -> post(prison, "/v1/people?confirmNewPerson=true", key, """
                        {"preferredName":{"givenNames":"Alex","familyName":"Drill%s"},"dateOfBirth":{"year":1990,"month":1,"day":2}}"""
                        .formatted(run.replaceAll("[^a-z]", ""))), null, null));
    }

    static HttpResponse<String> post(String token, String path, String key, String json) {
        return send(request(path, token).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Each kind written by its own client, a new key per write, until stopped (or 70 writes, below one page). */
    private List<Thread> writers(List<Kind> kinds, String run, AtomicBoolean running, ConcurrentLinkedQueue<Attempt> attempts) {
        List<Thread> threads = new ArrayList<>();
        for (Kind kind : kinds) {
            Thread t = new Thread(() -> {
                for (int n = 0; running.get() && n < 70; n++) {
                    String key = run + "-" + kind.name() + "-" + n;
                    long start = System.nanoTime();
                    HttpResponse<String> r = kind.send().apply(key);
                    attempts.add(new Attempt(kind, key, r, System.nanoTime() - start, System.nanoTime()));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "drill-writer-" + kind.name());
            t.start();
            threads.add(t);
        }
        return threads;
    }

    static long count(ConcurrentLinkedQueue<Attempt> attempts, Kind kind, boolean ok, long after) {
        return attempts.stream().filter(a -> a.kind() == kind && a.ok() == ok && a.endedAt() > after).count();
    }

    @Test
    void writesFailClosedWhileMongoIsStoppedAndRetriesSucceedExactlyOnce() throws Exception {
        String run = "mongo-stop-" + System.nanoTime();
        List<Kind> kinds = kinds(run);
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = writers(kinds, run, running, attempts);
        long downAt;
        long upAt;
        try {
            for (Kind k : kinds) {
                Drills.await(() -> count(attempts, k, true, 0) >= 3, RECOVERY, k.name() + " writes before the outage");
            }
            mongo.stop();
            downAt = System.nanoTime();
            for (Kind k : kinds) {
                Drills.await(() -> count(attempts, k, false, 0) >= 2, RECOVERY, k.name() + " writes failing");
            }
            assertOutageProblem(Platform.get(kinds.get(0).listPath(), user("hmp-leeds-worker")), 503);
            mongo.start();
            upAt = System.nanoTime();
            for (Kind k : kinds) {
                Drills.await(() -> count(attempts, k, true, upAt) >= 3, RECOVERY, k.name() + " writes after the outage");
            }
        } finally {
            running.set(false);
            mongo.start();
            for (Thread t : writers) {
                t.join(60_000);
            }
        }

        List<Attempt> failed = attempts.stream().filter(a -> !a.ok()).toList();
        assertThat(failed).isNotEmpty().allSatisfy(a -> assertOutageProblem(a.response(), 503));
        long firstOkAfter = attempts.stream().filter(a -> a.ok() && a.endedAt() > upAt).mapToLong(Attempt::endedAt).min()
                .orElseThrow();

        // retries with the same keys: each succeeds, and an answered key answers the same again
        Map<String, String> answered = new HashMap<>();
        for (Attempt a : attempts) {
            if (a.ok()) {
                answered.put(a.key(), JsonPath.read(a.response().body(), "$.name"));
            }
        }
        for (Attempt a : failed) {
            answered.put(a.key(), JsonPath.read(retryUntilOk(() -> a.kind().send().apply(a.key()), RECOVERY).body(), "$.name"));
        }
        for (Attempt a : attempts.stream().filter(Attempt::ok).limit(8).toList()) {
            HttpResponse<String> again = a.kind().send().apply(a.key());
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat((String) JsonPath.read(again.body(), "$.name")).isEqualTo(answered.get(a.key()));
        }

        // read back: per kind exactly the answered resources, each once
        String prison = user("hmp-leeds-worker");
        for (Kind k : kinds) {
            List<String> expected = attempts.stream().filter(a -> a.kind() == k).map(Attempt::key).distinct()
                    .map(answered::get).toList();
            assertThat(new HashSet<>(expected)).as("one %s per key", k.name()).hasSize(expected.size());
            if (k.listPath() != null) {
                HttpResponse<String> list = Platform.get(k.listPath() + "?pageSize=100", prison);
                assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
                assertThat(list.body()).doesNotContain("nextPageToken");
                List<String> listed = JsonPath.read(list.body(), "$." + k.listField() + "[*].name");
                assertThat(listed).as("%ss read back", k.name()).containsExactlyInAnyOrderElementsOf(expected);
            } else {
                for (String name : expected) {
                    HttpResponse<String> got = Platform.get("/v1/" + name, prison);
                    assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
                }
            }
        }
        // and in the databases themselves: no half-written state
        try (MongoClient client = MongoClients.create(Platform.get().mongoUri())) {
            var people = client.getDatabase("people-directory");
            for (String name : answered.entrySet().stream().filter(e -> e.getKey().contains("-person-"))
                    .map(Map.Entry::getValue).toList()) {
                String id = name.substring("people/".length());
                assertThat(people.getCollection("people").countDocuments(Filters.eq("_id", id))).isEqualTo(1);
                assertThat(people.getCollection("match_blocks").countDocuments(
                        // block entries are "<id>|<date of birth>" (older ones the bare id)
                        Filters.or(Filters.eq("ids", id), Filters.regex("ids", "^" + id + "\\|"))))
                        .as("%s is findable: in the matching index", name).isPositive();
            }
            // one stored record (or idempotency claim) per key: none lost, none doubled by a retry
            Map<String, String[]> stores = Map.of("referral", new String[] {"referrals", "referrals", "idempotencyKey"},
                    "person", new String[] {"people-directory", "people", "idempotencyKey"},
                    "consent", new String[] {"consent", "idempotencyKeys", "_id"});
            for (Kind k : kinds) {
                String[] store = stores.get(k.name());
                if (store == null) {
                    continue; // housing: read back through the API above
                }
                long stored = client.getDatabase(store[0]).getCollection(store[1])
                        .countDocuments(Filters.regex(store[2], ":" + run + "-" + k.name() + "-\\d+$"));
                long keys = attempts.stream().filter(a -> a.kind() == k).map(Attempt::key).distinct().count();
                assertThat(stored).as("%s records stored under the run's keys", k.name()).isEqualTo(keys);
            }
        }
        long slowest = failed.stream().mapToLong(Attempt::nanos).max().orElseThrow() / 1_000_000;
        Map<String, Long> failedByKind = new HashMap<>();
        failed.forEach(a -> failedByKind.merge(a.kind().name(), 1L, Long::sum));
        System.out.printf("MONGO STOP DRILL (gateway): %d writes, %d failed %s (all 503 problem+json, slowest %d ms), "
                        + "outage %d ms, first success %d ms after the server was back, %d resources read back once each%n",
                attempts.size(), failed.size(), failedByKind, slowest, (upAt - downAt) / 1_000_000,
                (firstOkAfter - upAt) / 1_000_000, answered.size());
    }

    /**
     * Threads serving a request that wait on the database: in the Mongo driver (a socket read, the
     * connection pool) and in Bridge code. The driver's own monitor threads have no Bridge frame.
     */
    static int waitingOnDatabase() {
        int n = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            boolean driver = false;
            boolean bridge = false;
            boolean serving = false;
            for (StackTraceElement f : e.getValue()) {
                driver |= f.getClassName().startsWith("com.mongodb.");
                bridge |= f.getClassName().startsWith("bridge.") && !f.getClassName().startsWith("bridge.e2e.");
                serving |= f.getClassName().startsWith("io.grpc.stub.ServerCalls");
            }
            // threads serving a request: the outbox and polling loops' own threads also meet a hung
            // database (each at most one call at a time, each bounded by the socket timeout) — they
            // cannot pile up, and counting them made the check depend on when a poll happened to run
            if (driver && bridge && serving) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aHangingDatabaseFailsWithinTheDeadlineWithoutPilingUpThreads() throws Exception {
        String prison = user("hmp-leeds-worker");
        String run = "mongo-hang-" + System.nanoTime();
        List<Kind> kinds = kinds(run);
        Kind referrals = kinds.get(0);
        Kind housing = kinds.get(2);
        // warm: every service has pooled connections to the proxy
        for (Kind k : kinds) {
            retryUntilOk(() -> k.send().apply(run + "-warm-" + k.name()), RECOVERY);
        }
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int liveBefore = threads.getThreadCount();
        int waitingBefore = waitingOnDatabase();

        mongo.hang();
        long hungAt = System.nanoTime();
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        // two writers and two readers, each sending its next request as soon as the last is answered
        List<Function<Integer, HttpResponse<String>>> calls = List.of(
                n -> referrals.send().apply(run + "-referral-" + n),
                n -> housing.send().apply(run + "-housing-" + n),
                n -> Platform.get(referrals.listPath(), prison),
                n -> Platform.get(housing.listPath(), prison));
        for (int c = 0; c < calls.size(); c++) {
            Function<Integer, HttpResponse<String>> call = calls.get(c);
            Kind kind = c % 2 == 0 ? referrals : housing;
            Thread t = new Thread(() -> {
                for (int n = 0; running.get(); n++) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = call.apply(n);
                    attempts.add(new Attempt(kind, "hang-" + n, r, System.nanoTime() - start, System.nanoTime()));
                    // paced: a call refused at once by an open breaker must not turn into a flood the
                    // gateway's per-client rate limit answers with 429 (four clients ≤ 80 calls/s)
                    pause(50);
                }
            }, "drill-hang-client-" + c);
            t.start();
            clients.add(t);
        }
        int waitingPeak = 0;
        long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        while (System.nanoTime() < until) {
            waitingPeak = Math.max(waitingPeak, waitingOnDatabase());
            Thread.sleep(250);
        }
        running.set(false);
        for (Thread t : clients) {
            t.join(30_000);
        }
        int liveDuring = threads.getThreadCount();
        // still hung: the threads that served the failed calls must have let go of the database by now
        Thread.sleep(10_000);
        int waitingAfter = waitingOnDatabase();
        int liveAfterCalls = threads.getThreadCount();

        mongo.resume();
        long resumedAt = System.nanoTime();
        retryUntilOk(() -> referrals.send().apply(run + "-after"), RECOVERY);
        long recoveredMillis = (System.nanoTime() - resumedAt) / 1_000_000;
        for (Kind k : kinds) {
            // a breaker opened by the partition (e.g. referrals → people directory) lets calls through
            // again on its own: recovery without manual repair, within the same bound
            HttpResponse<String> r = retryUntilOk(() -> k.send().apply(run + "-after-" + k.name()), RECOVERY);
            assertThat(r.statusCode()).as("%s after the partition: %s", k.name(), r.body()).isEqualTo(200);
        }
        Drills.await(() -> waitingOnDatabase() <= waitingBefore, Duration.ofSeconds(30), "no thread waiting on the database");
        int liveEnd = threads.getThreadCount();

        long slowest = attempts.stream().mapToLong(Attempt::nanos).max().orElseThrow() / 1_000_000;
        Map<Integer, Long> byStatus = new HashMap<>();
        attempts.forEach(a -> byStatus.merge(a.response().statusCode(), 1L, Long::sum));
        System.out.printf("MONGO HANG DRILL (gateway): %d calls while hung, by status %s, slowest %d ms; threads waiting on "
                        + "the database before %d, peak %d, 10 s after the last call %d; live threads before %d, during %d, "
                        + "after the calls %d, after recovery %d; first success %d ms after the partition ended%n",
                attempts.size(), byStatus, slowest, waitingBefore, waitingPeak, waitingAfter, liveBefore, liveDuring,
                liveAfterCalls, liveEnd, recoveredMillis);
        assertThat(attempts).isNotEmpty().allSatisfy(a -> {
            assertOutageProblem(a.response(), 503, 504);
            assertThat(a.nanos()).as("answered within the gateway's 5 s deadline (+2 s slack for the loaded machine)")
                    .isLessThan(Duration.ofSeconds(7).toNanos());
        });
        assertThat(waitingAfter).as("threads still waiting on a hung database 10 s after the last call").isLessThanOrEqualTo(
                waitingBefore);
        assertThat(hungAt).isPositive();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
