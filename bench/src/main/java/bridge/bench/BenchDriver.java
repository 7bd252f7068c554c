package bridge.bench;

import bridge.bench.gatling.CustodyReleaseReferral;
import bridge.bench.jmh.AuditAppend;
import bridge.bench.jmh.CallErrors;
import bridge.bench.jmh.ConsentDecideGrpc;
import bridge.bench.jmh.ConsentPolicyDecide;
import bridge.bench.jmh.SharedRecordDirect;
import bridge.bench.jmh.SharedRecordMongo;
import bridge.consent.domain.AuditVerification;
import bridge.consent.persistence.MongoAuditTrail;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.VerifyAuditTrailResponse;
import bridge.proto.people.v1.Person;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralStatus;
import com.google.protobuf.util.JsonFormat;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The load-generating process of {@code bin/bench}: reads where the platform process listens,
 * mints tokens, seeds synthetic people through the gateway, runs every scenario with its tool while
 * sampling each process's CPU and memory, and writes docs/benchmarks.md.
 *
 * <p>Arguments: {@code <work dir> <output markdown> <wrk binary> <classpath file> <launch epoch ms>
 * [--quick]}. The work dir holds the platform's {@code platform.properties}.
 */
public final class BenchDriver {

    /** Durations and sizes of one run. */
    record Plan(boolean quick, int people, int connections, int warmupSeconds, int seconds, int jmhWarmup,
                int jmhSeconds, int withdrawals) {

        static Plan of(boolean quick) {
            // full: the JIT on 2 cores needs over 60 s of load before figures settle (docs/STACK.md)
            return quick ? new Plan(true, 40, 32, 10, 10, 3, 5, 5)
                    : new Plan(false, 1000, 32, 60, 45, 15, 30, 30);
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path output = Path.of(args[1]).toAbsolutePath();
        Path wrk = Path.of(args[2]).toAbsolutePath();
        String classpath = Files.readString(Path.of(args[3])).trim();
        long launchMillis = Long.parseLong(args[4]);
        Plan plan = Plan.of(List.of(args).contains("--quick"));
        long t0 = System.nanoTime();

        Properties platform = new Properties();
        try (InputStream in = Files.newInputStream(work.resolve("platform.properties"))) {
            platform.load(in);
        }
        long platformPid = Long.parseLong(platform.getProperty("pid"));
        ProcessHandle platformProcess = ProcessHandle.of(platformPid).orElseThrow();
        Report report = new Report(plan, launchMillis, Long.parseLong(platform.getProperty("readyAtMillis")),
                String.join(" ", Stream.of(args).skip(5).toList()));
        try (ProcessSampler sampler = new ProcessSampler(List.of(
                new ProcessSampler.Group("platform JVM", () -> Stream.of(platformProcess)),
                // every descendant of the platform JVM is Keycloak's (its kc.sh launcher and its JVM)
                new ProcessSampler.Group("Keycloak", platformProcess::descendants),
                new ProcessSampler.Group("load generator", () -> Stream.concat(Stream.of(ProcessHandle.current()),
                        ProcessHandle.current().descendants()))))) {
            BenchDriver driver = new BenchDriver(plan, work, platform, new LoadTools(wrk, work, classpath), sampler, report,
                    platformPid, output.getParent().resolve("bench"), classpath);
            ProcessSampler.Window whole = sampler.begin();
            driver.run();
            report.wholeRun = whole.end();
        }
        report.totalSeconds = (System.nanoTime() - t0) / 1e9;
        Files.writeString(output, report.markdown());
        if (report.s1Profile != null && report.s1Profile.failure() == null) {
            Path details = output.getParent().resolve("bench");
            Files.createDirectories(details);
            Files.writeString(details.resolve("s1-hot-methods.txt"), report.s1Profile.hotMethods());
        }
        System.out.println("wrote " + output);
        System.exit(0);
    }

    private final Plan plan;
    private final Path work;
    private final Properties platform;
    private final LoadTools tools;
    private final ProcessSampler sampler;
    private final Report report;
    private final long platformPid;
    private final PlatformClient client;
    /** docs/bench: the flame graph and the hot-methods view go there. */
    private final Path details;
    private final String classpath;
    private final List<String> people = Collections.synchronizedList(new ArrayList<>());
    /** One search a day-to-day caller would make for each seeded person: name and date of birth. */
    private final List<String> searches = Collections.synchronizedList(new ArrayList<>());
    private String prison;
    private String treatment;
    private String treatment2;

    private BenchDriver(Plan plan, Path work, Properties platform, LoadTools tools, ProcessSampler sampler,
                        Report report, long platformPid, Path details, String classpath) {
        this.plan = plan;
        this.work = work;
        this.platform = platform;
        this.tools = tools;
        this.sampler = sampler;
        this.report = report;
        this.platformPid = platformPid;
        this.details = details;
        this.classpath = classpath;
        this.client = new PlatformClient(platform.getProperty("gateway"), platform.getProperty("tokenEndpoint"));
    }

    private void run() throws Exception {
        step("tokens");
        prison = client.integratorToken("hmp-leeds");
        treatment = client.integratorToken("forward-leeds");
        treatment2 = client.integratorToken("change-grow-live");
        // every JMH part reads these (same JVM: JMH runs without forking)
        System.setProperty("bench.readerToken", treatment);
        System.setProperty("bench.mongoUri", platform.getProperty("mongoUri"));
        platform.stringPropertyNames().stream().filter(k -> k.startsWith("grpc."))
                .forEach(k -> System.setProperty("bench." + k, platform.getProperty(k)));

        step("seeding " + plan.people() + " people");
        seed();
        report.idle = idle();

        s1();
        s2();
        s3();
        s4();
        s5();
    }

    // ---------------------------------------------------------------- data

    /**
     * Each synthetic person: registered by a prison, a housing situation, a benefit claim, a referral
     * to a treatment service, and a consent to share identity, housing, benefits and referrals with
     * the two treatment agencies — so every part of the shared record has something to read and
     * something to withhold (justice, risk, health are not consented).
     */
    private void seed() throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < plan.people(); i++) {
            int n = i;
            done.add(pool.submit(() -> {
                seedPerson(n);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        report.seedSeconds = (System.nanoTime() - start) / 1e9;
        List<String> ids = new ArrayList<>(people);
        Collections.sort(ids);
        Files.write(peopleFile(), ids);
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            requests.add("GET /v1/people/" + ids.get(i) + "/sharedRecord " + (i % 2 == 0 ? treatment : treatment2));
        }
        Files.write(requestsFile(), requests);
        Files.write(searchesFile(), searches.stream().map(b -> "POST /v1/people:search " + prison + " " + b).toList());
        System.setProperty("bench.peopleFile", peopleFile().toString());
        HttpResponse<String> check = client.get("/v1/people/" + ids.getFirst() + "/sharedRecord", treatment);
        if (check.statusCode() != 200 || !check.body().contains("bench-housing")) {
            throw new IllegalStateException("seeded shared record is not readable: " + check.statusCode() + " " + check.body());
        }
        report.sharedRecordBytes = check.body().length();
    }

    private void seedPerson(int n) throws Exception {
        Person person = client.create(REGISTER, prison, """
                {"preferredName":{"givenNames":"Sam %d","familyName":"Bench%d"},
                 "dateOfBirth":{"year":%d,"month":%d,"day":%d}}""".formatted(n, n % 977, 1960 + n % 40, 1 + n % 12,
                1 + n % 28), Person.newBuilder()).build();
        String name = person.getName();
        client.create("/v1/" + name + "/housingSituations", prison, """
                {"status":"HOUSING_STATUS_IN_CUSTODY","startDate":{"year":2026,"month":1,"day":5},"note":"bench-housing"}""",
                bridge.proto.housing.v1.HousingSituation.newBuilder());
        client.create("/v1/" + name + "/claims", prison, "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\"}",
                bridge.proto.benefits.v1.Claim.newBuilder());
        client.create("/v1/referrals", prison, CustodyReleaseReferral.json(name, CustodyReleaseReferral.releaseDate(),
                "release in six weeks"), Referral.newBuilder());
        client.create("/v1/" + name + "/consents", prison, CONSENT, Consent.newBuilder());
        // S3's receiver acts on referrals only under the person's consent for purpose REFERRAL
        client.create("/v1/" + name + "/consents", prison, CustodyReleaseReferral.consentJson(), Consent.newBuilder());
        people.add(name.substring("people/".length()));
        searches.add("""
                {"givenNames":"Sam %d","familyName":"Bench%d","dateOfBirth":{"year":%d,"month":%d,"day":%d},"pageSize":10}"""
                .formatted(n, n % 977, 1960 + n % 40, 1 + n % 12, 1 + n % 28).replace("\n", ""));
    }

    /**
     * Registration of a synthetic person: each is a new person by construction, so the harness confirms
     * it (the people directory may otherwise refuse a likely duplicate with ALREADY_EXISTS, and the
     * withdrawal people share a family name and date of birth).
     */
    private static final String REGISTER = "/v1/people?confirmNewPerson=true";

    private static final String CONSENT = """
            {"recipients":[{"agency":"forward-leeds"},{"agency":"change-grow-live"}],
             "categories":["DATA_CATEGORY_IDENTITY","DATA_CATEGORY_HOUSING","DATA_CATEGORY_BENEFITS","DATA_CATEGORY_REFERRALS"],
             "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}""";

    private Path peopleFile() {
        return work.resolve("people.txt");
    }

    private Path searchesFile() {
        return work.resolve("search-requests.txt");
    }

    private Path requestsFile() {
        return work.resolve("shared-record-requests.txt");
    }

    private Map<String, ProcessSampler.Usage> idle() throws InterruptedException {
        step("idle footprint");
        Thread.sleep(2000);
        ProcessSampler.Window w = sampler.begin();
        Thread.sleep(5000);
        return w.end();
    }

    // ---------------------------------------------------------------- S1

    private void s1() throws Exception {
        String url = platform.getProperty("gateway");
        step("S1 warm-up (" + plan.warmupSeconds() + " s, not reported)");
        tools.wrk("warm-up", url, requestsFile(), 2, plan.connections(), plan.warmupSeconds());

        step("S1 saturation through the gateway (wrk)");
        ProcessSampler.Window w = sampler.begin();
        Jfr jfr = Jfr.start(platformPid, work.resolve("s1-platform.jfr"));
        Map<String, Long> before = client.answersByStatus();
        Measurement sat = tools.wrk("S1 shared record via gateway, saturation", url, requestsFile(), 2,
                plan.connections(), plan.seconds());
        report.s1Saturation = sat.withUsage(w.end());
        report.statuses.put(sat.scenario(), difference(before, client.answersByStatus()));
        report.s1Profile = jfr.stopAndSummarise();
        try {
            Jfr.flameGraph(work.resolve("s1-platform.jfr"), details.resolve("s1-flame.html"), classpath,
                    "S1 shared record via gateway, saturation: platform JVM CPU samples");
            report.s1Flame = "bench/s1-flame.html";
        } catch (IOException | InterruptedException e) {
            report.s1FlameFailure = String.valueOf(e.getMessage());
        }

        step("S1 direct gRPC to the owning services (JMH)");
        report.s1Direct = jmh("S1 same five reads, direct gRPC to each service", SharedRecordDirect.class,
                plan.connections(), plan.jmhWarmup(), plan.jmhSeconds());
        step("S1 raw MongoDB finds of the same documents (JMH)");
        report.s1Mongo = jmh("S1 same documents, raw MongoDB finds", SharedRecordMongo.class, plan.connections(),
                plan.jmhWarmup(), plan.jmhSeconds());

        int rate = Math.max(10, (int) Math.round(report.s1Saturation.perSecond() / 2));
        step("S1 open loop at " + rate + " req/s (Gatling)");
        ProcessSampler.Window w2 = sampler.begin();
        Map<String, Long> beforeOpen = client.answersByStatus();
        try {
            Map<String, LoadTools.GatlingStats> g = tools.gatling("bridge.bench.gatling.SharedRecordOpenLoop", Map.of(
                    "gateway", url, "requestsFile", requestsFile().toString(), "rate", Integer.toString(rate),
                    "seconds", Integer.toString(plan.seconds())), plan.seconds() + 180);
            LoadTools.GatlingStats s = g.get("sharedRecord");
            report.s1Open = new Measurement("S1 shared record via gateway, open loop", "Gatling 3.14.3",
                    "open loop, " + rate + " arrivals/s (half of saturation)", s.total(), s.perSecond(), s.p50(), s.p99(),
                    s.p999(), s.ko(), w2.end(), null);
            report.statuses.put(report.s1Open.scenario(), difference(beforeOpen, client.answersByStatus()));
        } catch (IOException e) {
            report.s1Open = Measurement.failed("S1 shared record via gateway, open loop", "Gatling 3.14.3",
                    rate + " arrivals/s", e.getMessage());
        }
        report.s1OpenRate = rate;
    }

    // ---------------------------------------------------------------- S2

    /**
     * S2 at the size this harness seeds through the public API (not 10k/100k/1M: that is the people
     * directory's own generator): SearchPeople by name and date of birth, as the prison that
     * registered them (so every candidate is visible), through the gateway.
     */
    private void s2() throws Exception {
        step("S2 person search at " + plan.people() + " people (wrk)");
        ProcessSampler.Window w = sampler.begin();
        Map<String, Long> before = client.answersByStatus();
        Measurement m = tools.wrk("S2 person search via gateway, " + plan.people() + " people", platform.getProperty("gateway"),
                searchesFile(), 2, plan.connections(), plan.seconds());
        report.s2Search = m.withUsage(w.end());
        report.statuses.put(m.scenario(), difference(before, client.answersByStatus()));
    }

    // ---------------------------------------------------------------- S3

    private void s3() throws Exception {
        step("S3 referral create + accept (Gatling)");
        String scenario = "S3 referral create + accept via gateway";
        String load = "closed loop, " + plan.connections() + " users, each create then accept";
        try {
            preflightReferral();
        } catch (IOException e) {
            report.s3Create = Measurement.failed(scenario, "Gatling 3.14.3", load, String.valueOf(e.getMessage()));
            return;
        }
        ProcessSampler.Window w = sampler.begin();
        Map<String, Long> before = client.answersByStatus();
        try {
            Map<String, LoadTools.GatlingStats> g = tools.gatling("bridge.bench.gatling.ReferralCreateAccept", Map.of(
                    "gateway", platform.getProperty("gateway"), "peopleFile", peopleFile().toString(),
                    "senderToken", prison, "receiverToken", treatment, "users", Integer.toString(plan.connections()),
                    "seconds", Integer.toString(plan.seconds())), plan.seconds() + 180);
            Map<String, ProcessSampler.Usage> usage = w.end();
            LoadTools.GatlingStats c = g.get("create");
            LoadTools.GatlingStats a = g.get("accept");
            report.s3Create = new Measurement(scenario + " — create", "Gatling 3.14.3", load, c.total(), c.perSecond(),
                    c.p50(), c.p99(), c.p999(), c.ko(), usage, null);
            report.statuses.put(scenario, difference(before, client.answersByStatus()));
            report.s3Accept = new Measurement(scenario + " — accept", "Gatling 3.14.3", load, a.total(), a.perSecond(),
                    a.p50(), a.p99(), a.p999(), a.ko(), usage, null);
        } catch (IOException | RuntimeException e) {
            report.s3Create = Measurement.failed(scenario, "Gatling 3.14.3", load, String.valueOf(e.getMessage()));
        }
    }

    /**
     * One create + accept as S3 makes them, before the load and outside the measurement: if the
     * referrals contract or the seeded consent no longer lets the receiver act, the report says why
     * in one line instead of showing a run of errors.
     */
    private void preflightReferral() throws IOException, InterruptedException {
        String person = "people/" + Files.readAllLines(peopleFile()).getFirst();
        Referral sent = client.create("/v1/referrals", prison, CustodyReleaseReferral.json(person,
                CustodyReleaseReferral.releaseDate(), "release in six weeks (bench pre-flight)"), Referral.newBuilder()).build();
        Referral accepted = client.create("/v1/" + sent.getName() + ":accept", treatment,
                "{\"etag\":\"" + sent.getEtag().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}",
                Referral.newBuilder()).build();
        if (accepted.getStatus() != ReferralStatus.REFERRAL_STATUS_ACCEPTED) {
            throw new IOException("S3 pre-flight: accept answered status " + accepted.getStatus());
        }
    }

    // ---------------------------------------------------------------- S4

    private void s4() throws Exception {
        step("S4 consent policy in-process (JMH)");
        report.s4Policy = jmh("S4 consent decision, in-process policy", ConsentPolicyDecide.class, 1,
                plan.jmhWarmup(), plan.jmhSeconds());
        step("S4 Decide over gRPC (JMH)");
        report.s4Grpc = jmh("S4 Decide over gRPC (token, read, policy, audit append)", ConsentDecideGrpc.class, 16,
                plan.jmhWarmup(), plan.jmhSeconds());
        step("S4 withdrawal to first denied read (" + plan.withdrawals() + " times)");
        report.s4Withdrawal = withdrawals();
    }

    /**
     * A consent is recorded, its recipient reads the shared record (allowed), the consent is
     * withdrawn, and the recipient reads again at once: how many of those very next reads were denied,
     * and how long from the withdrawal's answer until the first denied read was answered.
     */
    private Report.Withdrawal withdrawals() throws Exception {
        List<Double> millis = new ArrayList<>();
        int deniedAtOnce = 0;
        for (int i = 0; i < plan.withdrawals(); i++) {
            Person person = client.create(REGISTER, prison, """
                    {"preferredName":{"givenNames":"Wren %d","familyName":"Withdraw"},
                     "dateOfBirth":{"year":1990,"month":2,"day":3}}""".formatted(i), Person.newBuilder()).build();
            Consent consent = client.create("/v1/" + person.getName() + "/consents", prison, """
                    {"recipients":[{"agency":"forward-leeds"}],"categories":["DATA_CATEGORY_IDENTITY"],
                     "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}""", Consent.newBuilder()).build();
            String record = "/v1/" + person.getName() + "/sharedRecord";
            HttpResponse<String> before = client.get(record, treatment);
            if (before.statusCode() != 200) {
                throw new IllegalStateException("consented read refused: " + before.statusCode() + " " + before.body());
            }
            client.create("/v1/" + consent.getName() + ":withdraw", prison, "{\"reason\":\"bench: person withdrew\"}",
                    Consent.newBuilder());
            long withdrawn = System.nanoTime();
            boolean first = true;
            while (true) {
                HttpResponse<String> after = client.get(record, treatment);
                if (after.statusCode() == 404) {
                    millis.add((System.nanoTime() - withdrawn) / 1e6);
                    deniedAtOnce += first ? 1 : 0;
                    break;
                }
                first = false;
                if (System.nanoTime() - withdrawn > TimeUnit.SECONDS.toNanos(30)) {
                    millis.add(Double.NaN);
                    break;
                }
            }
        }
        Collections.sort(millis);
        return new Report.Withdrawal(plan.withdrawals(), deniedAtOnce, millis.get(millis.size() / 2), millis.getLast());
    }

    // ---------------------------------------------------------------- S5

    private void s5() throws Exception {
        step("S5 audit append, batched by group commit (JMH, 32 threads)");
        report.s5Append = jmh("S5 audit append (group commit, one event per call)", AuditAppend.class, 32,
                plan.jmhWarmup(), plan.jmhSeconds());
        step("S5 chain verification");
        try (MongoClient mongo = MongoClients.create(platform.getProperty("mongoUri"));
             MongoAuditTrail trail = new MongoAuditTrail(mongo.getDatabase(AuditAppend.DATABASE))) {
            List<Report.Verification> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                AuditVerification v = trail.verify();
                runs.add(new Report.Verification("bench trail, MongoAuditTrail.verify() in the load generator",
                        v.intact(), v.entriesChecked(), (System.nanoTime() - t) / 1e9));
            }
            report.s5VerifyLocal = runs;
        }
        String dpo = client.userToken("dpo");
        List<Report.Verification> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = client.post("/v1/auditTrail:verify", dpo, "{}");
            double s = (System.nanoTime() - t) / 1e9;
            if (r.statusCode() != 200) {
                // no answer is not a broken chain: say what happened, and that nothing was verified
                runs.add(Report.Verification.notVerified("platform trail, VerifyAuditTrail via gateway (dpo): no answer, HTTP "
                        + r.statusCode() + " " + problemReason(r.body()), s));
                break;
            }
            VerifyAuditTrailResponse.Builder b = VerifyAuditTrailResponse.newBuilder();
            // fields added to the answer later (e.g. by incremental verification) must not break the report
            JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
            runs.add(new Report.Verification("platform trail, VerifyAuditTrail via gateway (dpo)"
                    + (b.getIntact() ? "" : ": first bad entry " + b.getFirstBadSequence() + " (" + b.getProblem() + ")"),
                    b.getIntact(), b.getEntriesChecked(), s));
        }
        report.s5VerifyPlatform = runs;
    }

    // ---------------------------------------------------------------- helpers

    /** The problem+json reason and title of an error answer, or its first 120 characters. */
    static String problemReason(String body) {
        java.util.regex.Matcher reason = java.util.regex.Pattern.compile("\"reason\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        java.util.regex.Matcher detail = java.util.regex.Pattern.compile("\"detail\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        if (reason.find()) {
            return reason.group(1) + (detail.find() ? " (" + detail.group(1) + ")" : "");
        }
        return body.length() > 120 ? body.substring(0, 120) + "…" : body;
    }

    private Measurement jmh(String scenario, Class<?> benchmark, int threads, int warmup, int seconds) {
        ProcessSampler.Window w = sampler.begin();
        String load = "closed loop, " + threads + " thread" + (threads == 1 ? "" : "s");
        CallErrors.reset();
        try {
            LoadTools.JmhStats s = LoadTools.jmh(benchmark, threads, warmup, seconds);
            return new Measurement(scenario, "JMH 1.37 (SampleTime)", load, s.samples(), s.perSecond(), s.p50(), s.p99(),
                    s.p999(), CallErrors.measured(), w.end(), null);
        } catch (Exception e) {
            return Measurement.failed(scenario, "JMH 1.37", load, String.valueOf(e.getMessage()));
        }
    }

    /** Answers per status between two scrapes (the scrapes themselves are a request or two of 200). */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((status, n) -> {
            long d = n - before.getOrDefault(status, 0L);
            if (d > 0) {
                out.put(status, d);
            }
        });
        return out;
    }

    private static void step(String what) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), what);
    }
}
