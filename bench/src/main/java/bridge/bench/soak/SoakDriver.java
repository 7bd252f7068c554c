package bridge.bench.soak;

import bridge.bench.LoadTools;
import bridge.bench.PlatformClient;
import bridge.bench.gatling.CustodyReleaseReferral;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load process of {@code bin/soak}: against the platform {@code BenchPlatform} started (its
 * {@code platform.properties}), seeds people through the gateway, then drives {@link SoakMix} for the
 * soak's duration and reports per kind the rate reached, p50/p99 and failures, the gateway's answers
 * by status, the CPU the platform and the database used per request, and the platform JVM's heap after
 * a full GC (jcmd) at the start and end, RSS, threads, the outbox backlog (pending messages over every
 * service's database) and the classes whose live bytes grew most; the database's own JVM (when
 * bin/soak started one) has its heap reported beside, not mixed in.
 *
 * <p>The start is measured after a warm-up at the same rate (its own table): what a soak looks for is growth
 * in the steady state, not the first minute's filling of caches, connection pools and JIT-compiled code.
 *
 * <p>Arguments: work directory, results file, classpath file, rate (requests/s), seconds, people, warm-up seconds.
 */
public final class SoakDriver {

    private SoakDriver() {
    }

    private static final String JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();

    /** The platform process as the operating system and jcmd see it. */
    record Snapshot(long heapAfterGcBytes, long rssBytes, int threads, long outboxPending, Map<String, Long> bytesByClass) {
    }

    /** CPU time a process has used, in ms. */
    static long cpuMillis(long pid) throws IOException {
        // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks of 1/100 s, after the command in parentheses
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path results = Path.of(args[1]).toAbsolutePath();
        String classpath = Files.readString(Path.of(args[2])).trim();
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int peopleCount = Integer.parseInt(args[5]);
        int warmupSeconds = Integer.parseInt(args[6]);

        Properties platform = new Properties();
        try (InputStream in = Files.newInputStream(work.resolve("platform.properties"))) {
            platform.load(in);
        }
        long pid = Long.parseLong(platform.getProperty("pid"));
        PlatformClient client = new PlatformClient(platform.getProperty("gateway"), platform.getProperty("tokenEndpoint"));
        String prison = client.userToken("hmp-leeds-worker");
        String treatment = client.userToken("forward-leeds-worker");

        System.out.println("soak: seeding " + peopleCount + " people");
        List<String> people = new ArrayList<>();
        for (int n = 0; n < peopleCount; n++) {
            people.add(seed(client, prison, n));
        }
        Path peopleFile = work.resolve("soak-people.txt");
        Files.write(peopleFile, people);

        String mongoUri = platform.getProperty("mongoUri");
        LoadTools load = new LoadTools(null, work, classpath);
        Map<String, LoadTools.GatlingStats> warmup = Map.of();
        if (warmupSeconds > 0) {
            System.out.printf("soak: warm-up, %d req/s for %d s%n", rate, warmupSeconds);
            warmup = load.gatling(SoakMix.class.getName(), Map.of("gateway", platform.getProperty("gateway"),
                    "prisonToken", prison, "treatmentToken", treatment, "peopleFile", peopleFile.toString(),
                    "rate", Integer.toString(rate), "seconds", Integer.toString(warmupSeconds)), warmupSeconds + 600);
            Thread.sleep(10_000); // as before the end's snapshot: the outbox relays catch up
        }
        Snapshot start = snapshot(pid, mongoUri);
        Long mongoPid = mongoPid(work);
        long mongoHeapStart = mongoPid == null ? -1 : heapAfterGc(mongoPid);
        Map<String, Long> answersBefore = client.answersByStatus();
        long cpu0 = cpuMillis(pid) + (mongoPid == null ? 0 : cpuMillis(mongoPid));
        long t0 = System.nanoTime();
        System.out.printf("soak: %d req/s for %d s (started %s)%n", rate, seconds, Instant.now());
        Map<String, LoadTools.GatlingStats> stats = load.gatling(SoakMix.class.getName(),
                Map.of("gateway", platform.getProperty("gateway"), "prisonToken", prison, "treatmentToken", treatment,
                        "peopleFile", peopleFile.toString(), "rate", Integer.toString(rate),
                        "seconds", Integer.toString(seconds)), seconds + 600);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpuUsed = cpuMillis(pid) + (mongoPid == null ? 0 : cpuMillis(mongoPid)) - cpu0;
        Map<String, Long> answers = difference(answersBefore, client.answersByStatus());
        // let the outbox relays catch up with what the last seconds wrote before counting the backlog
        Thread.sleep(10_000);
        Snapshot end = snapshot(pid, mongoUri);
        long mongoHeapEnd = mongoPid == null ? -1 : heapAfterGc(mongoPid);

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Soak: %d req/s offered for %d s (%.0f s with Gatling's start and drain), "
                + "%d people seeded, finished %s%n%n", rate, seconds, elapsed, peopleCount, Instant.now()));
        appendTable(out, stats);
        if (!warmup.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nWarm-up before the start was measured (%d s at the same rate):%n%n", warmupSeconds));
            appendTable(out, warmup);
        }
        out.append("\nGateway answers during the run, by HTTP status (its own metrics): ").append(answers).append("\n\n");
        long requests = stats.containsKey("All Requests") ? stats.get("All Requests").total() : 0;
        if (requests > 0) {
            double perRequest = (double) cpuUsed / requests;
            out.append(String.format(Locale.ROOT, "Platform CPU (gateway, services, WireMock and the Mongo server; Keycloak is not on the path): "
                    + "%.1f s over the run, %.2f ms per request, %.2f of a core on average — so %d cores could serve "
                    + "at most ~%.0f req/s of this mix.%n%n", cpuUsed / 1000.0, perRequest, cpuUsed / 1000.0 / elapsed,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors() * 1000 / perRequest));
        }
        out.append("| platform JVM | start | end | change |\n|---|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| heap after full GC | %s | %s | %+.1f%% |%n", mb(start.heapAfterGcBytes()),
                mb(end.heapAfterGcBytes()), 100.0 * (end.heapAfterGcBytes() - start.heapAfterGcBytes()) / start.heapAfterGcBytes()));
        out.append(String.format(Locale.ROOT, "| RSS | %s | %s | %+.1f%% |%n", mb(start.rssBytes()), mb(end.rssBytes()),
                100.0 * (end.rssBytes() - start.rssBytes()) / start.rssBytes()));
        out.append(String.format(Locale.ROOT, "| threads | %d | %d | %+d |%n", start.threads(), end.threads(),
                end.threads() - start.threads()));
        out.append(String.format(Locale.ROOT, "| outbox messages pending | %d | %d | %+d |%n", start.outboxPending(),
                end.outboxPending(), end.outboxPending() - start.outboxPending()));
        if (mongoPid != null) {
            out.append(String.format(Locale.ROOT, "%nThe database (embedded Mongo server, file-backed, its own JVM): heap after "
                    + "full GC %s → %s (%+.1f%%) — its page cache and the data the soak wrote, not the platform's.%n",
                    mb(mongoHeapStart), mb(mongoHeapEnd), 100.0 * (mongoHeapEnd - mongoHeapStart) / mongoHeapStart));
        }
        List<Map.Entry<String, Long>> grown = grownMost(start.bytesByClass(), end.bytesByClass(), 12);
        if (!grown.isEmpty()) {
            out.append("\nLive bytes that grew most between the two full GCs (jcmd GC.class_histogram):\n\n");
            out.append("| class | start | end | change |\n|---|---|---|---|\n");
            for (Map.Entry<String, Long> g : grown) {
                out.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %+,d B |%n", g.getKey(),
                        mb(start.bytesByClass().getOrDefault(g.getKey(), 0L)),
                        mb(end.bytesByClass().getOrDefault(g.getKey(), 0L)), g.getValue()));
            }
        }
        Files.writeString(results, out.toString());
        System.out.println(out);
        System.exit(0);
    }

    /** One row per kind of request: how many, how many failed, the rate reached, p50 and p99. */
    static void appendTable(StringBuilder out, Map<String, LoadTools.GatlingStats> stats) {
        out.append("| kind | requests | failed | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n");
        stats.forEach((name, s) -> out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.0f | %.0f |%n",
                name, s.total(), s.ko(), s.perSecond(), s.p50(), s.p99())));
    }

    static String seed(PlatformClient client, String prison, int n) throws IOException, InterruptedException {
        HttpResponse<String> person = client.post("/v1/people?confirmNewPerson=true", prison, """
                {"preferredName":{"givenNames":"Soak %d","familyName":"Soak%d"},"dateOfBirth":{"year":%d,"month":%d,"day":%d}}"""
                .formatted(n, n, 1960 + n % 40, 1 + n % 12, 1 + n % 28));
        String name = field(ok(person), "name");
        ok(client.post("/v1/" + name + "/housingSituations", prison, """
                {"status":"HOUSING_STATUS_IN_CUSTODY","startDate":{"year":2026,"month":1,"day":5},"note":"soak"}"""));
        ok(client.post("/v1/" + name + "/consents", prison, """
                {"recipients":[{"agency":"forward-leeds"}],
                 "categories":["DATA_CATEGORY_IDENTITY","DATA_CATEGORY_HOUSING","DATA_CATEGORY_REFERRALS"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}"""));
        ok(client.post("/v1/" + name + "/consents", prison, CustodyReleaseReferral.consentJson()));
        return name.substring("people/".length());
    }

    static String ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("seeding: " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static Snapshot snapshot(long pid, String mongoUri) throws IOException, InterruptedException {
        long used = heapAfterGc(pid);
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        long rss = kib(status, "VmRSS") * 1024;
        int threads = (int) kib(status, "Threads");
        long pending = 0;
        try (MongoClient mongo = MongoClients.create(mongoUri)) {
            for (String db : mongo.listDatabaseNames()) {
                for (String c : mongo.getDatabase(db).listCollectionNames()) {
                    if (c.equals("outbox")) {
                        pending += mongo.getDatabase(db).getCollection(c).countDocuments(Filters.eq("status", "PENDING"));
                    }
                }
            }
        }
        return new Snapshot(used, rss, threads, pending, histogram(run(JCMD, Long.toString(pid), "GC.class_histogram")));
    }

    /** A JVM's heap in use right after a full GC it is asked to run. */
    static long heapAfterGc(long pid) throws IOException, InterruptedException {
        run(JCMD, Long.toString(pid), "GC.run");
        String heap = run(JCMD, Long.toString(pid), "GC.heap_info");
        // G1 on JDK 25: "garbage-first heap   total reserved 6172672K, committed 12288K, used 3869K [...]"
        // (older JDKs: "total 262144K, used 123456K")
        Matcher m = Pattern.compile("heap\\s+total[^\\n]*? used (\\d+)K").matcher(heap);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** The Mongo server's own JVM when bin/soak started one ({@code mongo.properties}), else none. */
    static Long mongoPid(Path work) throws IOException {
        Path file = work.resolve("mongo.properties");
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return Long.valueOf(p.getProperty("pid"));
    }

    /** Bytes of live objects per class, from {@code jcmd GC.class_histogram} (which collects first). */
    static Map<String, Long> histogram(String jcmdOutput) {
        // "   1:         12345       6789012  [B (java.base@25)"
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(jcmdOutput);
        Map<String, Long> bytes = new TreeMap<>();
        while (m.find()) {
            bytes.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
        }
        return bytes;
    }

    /** The classes whose live bytes grew most between two histograms: where a growing heap went. */
    static List<Map.Entry<String, Long>> grownMost(Map<String, Long> before, Map<String, Long> after, int n) {
        return difference(before, after).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n).toList();
    }

    static long kib(String procStatus, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + ":\\s+(\\d+)").matcher(procStatus);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }
}
