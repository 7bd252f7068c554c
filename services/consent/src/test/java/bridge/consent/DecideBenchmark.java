package bridge.consent;

import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentMethod;
import bridge.consent.domain.ConsentPolicy;
import bridge.consent.domain.ConsentState;
import bridge.consent.domain.Decision;
import bridge.consent.domain.LegalBasis;
import bridge.consent.domain.LegalBasisType;
import bridge.consent.domain.Recipient;
import bridge.consent.domain.ReviewState;
import bridge.consent.persistence.MongoAuditTrail;
import bridge.proto.common.v1.AgencyType;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.ConsentServiceGrpc.ConsentServiceBlockingStub;
import bridge.proto.consent.v1.CreateConsentRequest;
import bridge.proto.consent.v1.CreateLegalBasisRequest;
import bridge.proto.consent.v1.DecideRequest;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.grpc.ProtoMapping;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.TestTokens;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Micro-benchmark (a {@code main}, not a test) of the decision path. Three parts:
 * <ol>
 *   <li>{@link ConsentPolicy} alone, in-process: one category and a 12-category batch against a
 *       person with 20 consents (current, withdrawn, expired, superseded, named and by type) and 3
 *       legal bases;</li>
 *   <li>{@link MongoAuditTrail#append} alone from many threads against the embedded Mongo server
 *       (group commit);</li>
 *   <li>the full Decide over in-process gRPC (token check, one read, policy, audit append) against
 *       the embedded Mongo server, many client threads, people with 20 consents + 3 legal bases.</li>
 * </ol>
 * Arguments (all optional, seconds): {@code policyWarmup policyMeasure appendSeconds grpcWarmup grpcMeasure
 * threads people}. Defaults: 10 10 20 60 30 16 100. Run: see docs/benchmarks.md.
 */
public final class DecideBenchmark {

    private DecideBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int policyWarmup = arg(args, 0, 10);
        int policyMeasure = arg(args, 1, 10);
        int appendSeconds = arg(args, 2, 20);
        int grpcWarmup = arg(args, 3, 60);
        int grpcMeasure = arg(args, 4, 30);
        int threads = arg(args, 5, 16);
        int people = arg(args, 6, 100);
        System.out.printf("java %s, %d cpus%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        if (policyMeasure > 0) {
            policy(policyWarmup, policyMeasure);
        }
        if (appendSeconds > 0) {
            auditAppend(appendSeconds, 32);
        }
        if (grpcMeasure > 0) {
            grpcDecide(grpcWarmup, grpcMeasure, threads, people);
        }
        System.exit(0);
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    // ---------------------------------------------------------------- 1. the policy alone

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static volatile Object sink;

    /** 20 consents of realistic variety and 3 legal bases for one person. */
    static List<Consent> consents() {
        Actor recorder = new Actor("kw", "forward-leeds", bridge.support.identity.AgencyType.TREATMENT);
        String[] agencies = {"leeds-housing", "north-probation", "leeds-nhs", "dwp-leeds", "peer-navigators",
                "hmp-leeds", "leeds-social-care", "change-grow-live"};
        bridge.support.identity.AgencyType[] types = {bridge.support.identity.AgencyType.HOUSING,
                bridge.support.identity.AgencyType.PROBATION, bridge.support.identity.AgencyType.HEALTH,
                bridge.support.identity.AgencyType.TREATMENT};
        List<Consent> out = new ArrayList<>();
        DataCategory[] cats = DataCategory.values();
        for (int i = 0; i < 20; i++) {
            Recipient r = i % 3 == 0 ? Recipient.agencyType(types[i % types.length]) : Recipient.agency(agencies[i % agencies.length]);
            List<DataCategory> c = List.of(cats[i % 12], cats[(i + 5) % 12], cats[(i + 7) % 12]);
            ConsentState state = i % 7 == 6 ? ConsentState.WITHDRAWN : i % 5 == 4 ? ConsentState.SUPERSEDED : ConsentState.ACTIVE;
            Instant until = i % 4 == 3 ? NOW.minusSeconds(3600) : NOW.plus(Duration.ofDays(200));
            out.add(new Consent("c" + i, "p", List.of(r, Recipient.agency("met-police")), c,
                    List.of(Purpose.DIRECT_SUPPORT, Purpose.REFERRAL), NOW.minus(Duration.ofDays(30)), until,
                    ConsentMethod.WRITTEN, "", state, recorder, NOW.minus(Duration.ofDays(30)).plusSeconds(i), 1 + i % 3,
                    null, null, null));
        }
        return out;
    }

    static List<LegalBasis> legalBases() {
        Actor police = new Actor("pc", "met-police", bridge.support.identity.AgencyType.POLICE);
        return List.of(
                new LegalBasis("l1", "p", LegalBasisType.SERIOUS_IMMINENT_RISK_TO_LIFE, "met-police",
                        List.of(DataCategory.MENTAL_HEALTH, DataCategory.RISK), List.of(Purpose.RISK_MANAGEMENT),
                        "Threatened suicide in custody.", NOW.plus(Duration.ofDays(2)), ReviewState.PENDING_REVIEW,
                        police, NOW.minusSeconds(600), null),
                new LegalBasis("l2", "p", LegalBasisType.SAFEGUARDING, "leeds-social-care",
                        List.of(DataCategory.FAMILY), List.of(Purpose.RISK_MANAGEMENT), "Child at risk, section 47.",
                        NOW.plus(Duration.ofDays(20)), ReviewState.UPHELD, police, NOW.minusSeconds(6000), null),
                new LegalBasis("l3", "p", LegalBasisType.STATUTORY_DUTY, "leeds-housing",
                        List.of(DataCategory.HOUSING), List.of(Purpose.REFERRAL), "Duty to refer, HRA 2017.",
                        NOW.plus(Duration.ofDays(20)), ReviewState.REVOKED, police, NOW.minusSeconds(60000), null));
    }

    static void policy(int warmupSeconds, int measureSeconds) {
        List<Consent> consents = consents();
        List<LegalBasis> legalBases = legalBases();
        Caller[] callers = {
                new Caller("a", "met-police", bridge.support.identity.AgencyType.POLICE, Set.of()),
                new Caller("b", "leeds-housing", bridge.support.identity.AgencyType.HOUSING, Set.of()),
                new Caller("c", "leeds-nhs", bridge.support.identity.AgencyType.HEALTH, Set.of()),
                new Caller("d", "dwp-leeds", bridge.support.identity.AgencyType.BENEFITS, Set.of())};
        DataCategory[] cats = DataCategory.values();
        Purpose[] purposes = Purpose.values();
        List<DataCategory> all = Arrays.asList(cats);

        runPolicy("policy warm-up", warmupSeconds, consents, legalBases, callers, cats, purposes, all, false);
        runPolicy("policy decide, 1 category", measureSeconds, consents, legalBases, callers, cats, purposes, all, false);
        runPolicy("policy decide, 12-category batch", measureSeconds, consents, legalBases, callers, cats, purposes, all, true);
    }

    private static void runPolicy(String label, int seconds, List<Consent> consents, List<LegalBasis> legalBases,
                                  Caller[] callers, DataCategory[] cats, Purpose[] purposes, List<DataCategory> all,
                                  boolean batch) {
        long[] samples = new long[5_000_000];
        int n = 0;
        int allowed = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        while (n < samples.length && ((n & 1023) != 0 || System.nanoTime() < end)) {
            Caller c = callers[n & 3];
            long t0 = System.nanoTime();
            if (batch) {
                List<Decision> ds = ConsentPolicy.decide(c, consents, legalBases, all, purposes[n % 3], NOW);
                sink = ds;
                allowed += ds.getFirst().allowed() ? 1 : 0;
            } else {
                Decision d = ConsentPolicy.decide(new ConsentPolicy.Question(c, consents, legalBases, cats[n % 12],
                        purposes[n % 3], NOW));
                sink = d;
                allowed += d.allowed() ? 1 : 0;
            }
            samples[n++] = System.nanoTime() - t0;
        }
        long elapsed = System.nanoTime() - start;
        if (!label.contains("warm-up")) {
            report(label, Arrays.copyOf(samples, n), elapsed, "µs", 1_000.0);
        }
        sink = allowed;
    }

    // ---------------------------------------------------------------- 2. audit append alone

    static void auditAppend(int seconds, int threads) throws Exception {
        try (MongoClient client = MongoClients.create(EmbeddedMongo.uri())) {
            MongoAuditTrail trail = new MongoAuditTrail(client.getDatabase("bench-audit-" + Ids.next()));
            AuditEvent event = new AuditEvent(NOW, new Actor("w", "leeds-housing", bridge.support.identity.AgencyType.HOUSING),
                    "abcdefghijkmnpqrstuv", Purpose.REFERRAL,
                    ConsentPolicy.decide(new Caller("w", "leeds-housing", bridge.support.identity.AgencyType.HOUSING,
                            Set.of()), consents(), legalBases(), List.of(DataCategory.HOUSING, DataCategory.RISK),
                            Purpose.REFERRAL, NOW), "bench");
            // warm up for a third of the time, then measure
            measure("audit append (group commit), " + threads + " threads", threads, seconds / 3, seconds,
                    () -> trail.append(List.of(event)));
            var verify = trail.verify();
            System.out.printf("  chain after the run: intact=%s, %d entries verified%n", verify.intact(), verify.entriesChecked());
            trail.close();
        }
    }

    // ---------------------------------------------------------------- 3. full Decide over gRPC

    /** Passed as a source (not annotated: the tests' component scan must not pick it up). */
    static class BenchBeans {
        @Bean
        bridge.support.people.PersonVisibility benchPersonVisibility() {
            return personId -> true;
        }

        @Bean
        JwtDecoder benchJwtDecoder() {
            return TestTokens.decoder();
        }
    }

    static void grpcDecide(int warmupSeconds, int measureSeconds, int threads, int people) throws Exception {
        SpringApplication app = new SpringApplication(ConsentApplication.class, BenchBeans.class);
        app.setDefaultProperties(Map.of("spring.config.name", ConsentApplication.NAME));
        String db = "bench-" + Ids.next();
        try (ConfigurableApplicationContext ctx = app.run(
                "--spring.mongodb.uri=" + EmbeddedMongo.uri(),
                "--spring.profiles.active=demo",
                "--bridge.mongodb.database=" + db,
                "--spring.grpc.server.port=0",
                "--spring.grpc.server.inprocess.name=consent-bench",
                "--logging.level.root=WARN")) {
            ManagedChannel channel = InProcessChannelBuilder.forName("consent-bench").build();
            String treatment = TestTokens.token("forward-leeds", "TREATMENT", "kw", "worker");
            String police = TestTokens.token("met-police", "POLICE", "pc", "worker");
            ConsentServiceBlockingStub recorder = ConsentServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(TestTokens.bearer(treatment));
            ConsentServiceBlockingStub policeRecorder = ConsentServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(TestTokens.bearer(police));
            List<String> persons = new ArrayList<>();
            bridge.proto.common.v1.DataCategory[] cats = Arrays.stream(bridge.proto.common.v1.DataCategory.values())
                    .filter(c -> c != bridge.proto.common.v1.DataCategory.DATA_CATEGORY_UNSPECIFIED
                            && c != bridge.proto.common.v1.DataCategory.UNRECOGNIZED)
                    .toArray(bridge.proto.common.v1.DataCategory[]::new);
            String[] agencies = {"leeds-housing", "north-probation", "leeds-nhs", "dwp-leeds", "peer-navigators",
                    "hmp-leeds", "leeds-social-care", "met-police"};
            AgencyType[] types = {AgencyType.AGENCY_TYPE_HOUSING, AgencyType.AGENCY_TYPE_PROBATION,
                    AgencyType.AGENCY_TYPE_HEALTH, AgencyType.AGENCY_TYPE_POLICE};
            long seedStart = System.nanoTime();
            for (int p = 0; p < people; p++) {
                String parent = "people/" + Ids.next();
                persons.add(parent);
                for (int i = 0; i < 20; i++) {
                    var r = bridge.proto.consent.v1.Recipient.newBuilder();
                    if (i % 3 == 0) {
                        r.setAgencyType(types[i % types.length]);
                    } else {
                        r.setAgency(agencies[i % agencies.length]);
                    }
                    recorder.createConsent(CreateConsentRequest.newBuilder().setParent(parent).setConsent(
                            bridge.proto.consent.v1.Consent.newBuilder().addRecipients(r)
                                    .addCategories(cats[i % 12]).addCategories(cats[(i + 5) % 12])
                                    .addPurposes(bridge.proto.common.v1.Purpose.PURPOSE_DIRECT_SUPPORT)
                                    .setMethod(bridge.proto.consent.v1.ConsentMethod.CONSENT_METHOD_WRITTEN)).build());
                }
                for (int i = 0; i < 3; i++) {
                    policeRecorder.createLegalBasis(CreateLegalBasisRequest.newBuilder().setParent(parent).setLegalBasis(
                            bridge.proto.consent.v1.LegalBasis.newBuilder()
                                    .setType(bridge.proto.consent.v1.LegalBasisType.LEGAL_BASIS_TYPE_SAFEGUARDING)
                                    .setRecipientAgency(agencies[(p + i) % agencies.length])
                                    .addCategories(cats[(p + i) % 12])
                                    .addPurposes(bridge.proto.common.v1.Purpose.PURPOSE_RISK_MANAGEMENT)
                                    .setJustification("Benchmark legal basis, safeguarding concern.")
                                    .setValidUntil(ProtoMapping.timestamp(Instant.now().plus(Duration.ofDays(30))))).build());
                }
            }
            System.out.printf("seeded %d people x (20 consents + 3 legal bases) in %.1f s%n", people,
                    (System.nanoTime() - seedStart) / 1e9);
            String[] callerTokens = {
                    TestTokens.token("leeds-housing", "HOUSING", "ho", "worker"),
                    TestTokens.token("met-police", "POLICE", "pc", "worker"),
                    TestTokens.token("leeds-nhs", "HEALTH", "gp", "worker"),
                    TestTokens.token("north-probation", "PROBATION", "po", "worker")};
            ConsentServiceBlockingStub[] stubs = Arrays.stream(callerTokens)
                    .map(t -> ConsentServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(t)))
                    .toArray(ConsentServiceBlockingStub[]::new);
            bridge.proto.common.v1.Purpose[] purposes = {bridge.proto.common.v1.Purpose.PURPOSE_DIRECT_SUPPORT,
                    bridge.proto.common.v1.Purpose.PURPOSE_REFERRAL, bridge.proto.common.v1.Purpose.PURPOSE_RISK_MANAGEMENT};
            measure("full Decide over in-process gRPC (1 read + policy + audit append), " + threads + " threads", threads,
                    warmupSeconds, measureSeconds, () -> {
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        stubs[rnd.nextInt(stubs.length)].withDeadlineAfter(10, TimeUnit.SECONDS).decide(DecideRequest.newBuilder()
                                .setPerson(persons.get(rnd.nextInt(persons.size())))
                                .setCategory(cats[rnd.nextInt(cats.length)])
                                .setPurpose(purposes[rnd.nextInt(3)]).build());
                    });
            var trail = ctx.getBean(bridge.consent.domain.AuditTrail.class).verify();
            System.out.printf("  chain after the run: intact=%s, %d entries verified%n", trail.intact(), trail.entriesChecked());
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- measuring

    /** Runs {@code op} from {@code threads} threads: warm-up, then a measured window of per-call latencies. */
    static void measure(String label, int threads, int warmupSeconds, int measureSeconds, Runnable op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                long[] samples = new long[1 << 16];
                int n = 0;
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    op.run();
                    long dt = System.nanoTime() - t0;
                    if (measuring.get()) {
                        if (n == samples.length) {
                            samples = Arrays.copyOf(samples, n * 2);
                        }
                        samples[n++] = dt;
                    }
                }
                return Arrays.copyOf(samples, n);
            }));
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
        long start = System.nanoTime();
        measuring.set(true);
        Thread.sleep(TimeUnit.SECONDS.toMillis(measureSeconds));
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            all.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
        report(label, merged, elapsed, "ms", 1_000_000.0);
    }

    static void report(String label, long[] samples, long elapsedNanos, String unit, double divisor) {
        if (samples.length == 0) {
            System.out.println(label + ": no samples");
            return;
        }
        Arrays.sort(samples);
        int n = samples.length;
        double p50 = samples[n / 2] / divisor;
        double p99 = samples[(int) Math.min(n - 1, Math.floor(n * 0.99))] / divisor;
        double p999 = samples[(int) Math.min(n - 1, Math.floor(n * 0.999))] / divisor;
        double perSecond = n / (elapsedNanos / 1e9);
        System.out.printf("%-75s n=%,d  p50=%.3f %s  p99=%.3f %s  p99.9=%.3f %s  throughput=%,.0f/s%n",
                label, n, p50, unit, p99, unit, p999, unit, perSecond);
    }
}
