package bridge.people.bench;

import bridge.people.PeopleDirectoryApplication;
import bridge.people.domain.Person;
import bridge.people.domain.PersonMatcher;
import bridge.people.domain.PersonRepository;
import bridge.people.domain.SyntheticPeople;
import bridge.people.persistence.MongoPersonRepository;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc.PeopleDirectoryServiceBlockingStub;
import bridge.proto.people.v1.PersonName;
import bridge.proto.people.v1.SearchPeopleRequest;
import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Scale benchmark of the people directory (docs/people-directory-scale.md): search latency and
 * registration throughput through gRPC over loopback TCP at growing directory sizes. Not part of
 * the test command; run with
 * {@code ./mvnw -pl services/people-directory test -Dtest=PeopleDirectoryBenchmark -Dbridge.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dbridge.bench.sizes=10000,100000,1000000] [-Dbridge.bench.seconds=20]
 * [-Dbridge.bench.warmup=30] [-Dbridge.bench.threads=8] [-Dbridge.bench.loaders=3]}; writes docs/bench/s2-people-scale.md. The
 * module's {@code people-bench} profile (on with {@code -Dbridge.bench=true}) gives the test JVM the heap
 * the embedded server needs at 1M people.
 *
 * <p>The consent service is replaced by an in-process stand-in that allows everything and records
 * nothing: this measures the directory (blocking, scoring, Mongo, gRPC), not the consent round trip.
 */
@EnabledIfSystemProperty(named = "bridge.bench", matches = "true")
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class, PeopleDirectoryBenchmark.AllowAll.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.port=19591",
                "spring.grpc.server.host=127.0.0.1", "bridge.mongodb.database=people-directory-bench",
                // emptying a 1M-person directory between name sets is one long deleteMany on the embedded server
                "bridge.mongodb.socket-timeout=10m"})
class PeopleDirectoryBenchmark {

    @TestConfiguration(proxyBeanMethods = false)
    static class AllowAll {
        @Bean
        @Primary
        ConsentDecisions allowingDecisions() {
            return (person, categories, purpose) -> {
                Map<DataCategory, Boolean> all = new EnumMap<>(DataCategory.class);
                categories.forEach(c -> all.put(c, true));
                return new Decisions(all);
            };
        }
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    @Autowired
    PersonRepository repository;

    // the generator's people are registered by agency "synthetic" (TREATMENT)
    static final String CALLER = TestTokens.token("synthetic", "TREATMENT", "bench", "worker");
    /** Client threads of the concurrent search and of the registration (closed loop: each waits for its answer). */
    static final int THREADS = Integer.getInteger("bridge.bench.threads", 8);
    /** Threads bulk-loading generated people (straight into the repository, not through gRPC). */
    static final int LOADERS = Integer.getInteger("bridge.bench.loaders", 3);

    /** One directory size's figures; latencies in milliseconds. */
    record Row(String names, int people, double loadSeconds, double[] single, int singleN, Phase search,
               Phase registration, double keysPerQuery, double idsPerQuery, double blockReadMs, long heapUsedMb, long rssMb) {

        /** The most other processes used in any of the size's phases, in % of one core. */
        double othersCpuPercent() {
            return Math.max(search.othersCpuPercent(), registration.othersCpuPercent());
        }
    }

    /**
     * One closed-loop phase: latencies (ns, sorted), wall seconds, this JVM's CPU time (service, embedded
     * server and load generator together) and what the rest of the machine used meanwhile.
     */
    record Phase(long[] latencies, double seconds, long cpuNanos, double othersCpuPercent) {
        double rate() {
            return latencies.length / seconds;
        }

        /** CPU milliseconds of this JVM per call: the figure that survives other work on the machine. */
        double cpuMsPerCall() {
            return latencies.length == 0 ? 0 : cpuNanos / 1e6 / latencies.length;
        }
    }

    @Test
    void searchAndRegistrationAtGrowingSizes() throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("bridge.bench.sizes", "10000,100000").split(","))
                .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        long seconds = Long.getLong("bridge.bench.seconds", 20);
        // JIT warm-up on two cores takes over a minute (docs/benchmarks.md): both calls, before the first size
        long warmup = Long.getLong("bridge.bench.warmup", Math.max(seconds, 30));
        java.time.Instant started = java.time.Instant.now();
        String[] nameSets = System.getProperty("bridge.bench.names", "realistic,uniform").split(",");
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", 19591).usePlaintext().build();
        PeopleDirectoryServiceBlockingStub stub = PeopleDirectoryServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(TestTokens.bearer(CALLER));
        ExecutorService loaderPool = Executors.newFixedThreadPool(LOADERS);
        java.util.concurrent.Semaphore loaders = new java.util.concurrent.Semaphore(LOADERS);
        List<Row> rows = new ArrayList<>();
        boolean warm = false;
        for (String nameSet : nameSets) {
            SyntheticPeople.Names names = SyntheticPeople.Names.valueOf(nameSet.strip().toUpperCase(java.util.Locale.ROOT));
            // each name set starts from an empty directory
            for (String collection : List.of("people", "match_blocks", "duplicate_reviews")) {
                db.getCollection(collection).deleteMany(new org.bson.Document());
            }
            System.gc();
            SyntheticPeople generator = new SyntheticPeople(20261123, names);
            List<Person> sample = new ArrayList<>();
            int loaded = 0;
            for (int size : sizes) {
                long t0 = System.nanoTime();
                // generation here, loading on LOADERS threads: batches of 25k, at most LOADERS in flight
                List<Future<?>> loading = new ArrayList<>();
                while (loaded < size) {
                    int chunk = Math.min(25_000, size - loaded);
                    List<Person> batch = new ArrayList<>(chunk);
                    for (int i = 0; i < chunk; i++) {
                        Person p = generator.newPerson(Ids.next());
                        batch.add(p);
                        if (sample.size() < 20_000 && (loaded + i) % 7 == 0) {
                            sample.add(p);
                        }
                    }
                    loaders.acquire();
                    loading.add(loaderPool.submit(() -> {
                        try {
                            ((MongoPersonRepository) repository).bulkLoad(batch);
                        } finally {
                            loaders.release();
                        }
                    }));
                    loaded += chunk;
                }
                for (Future<?> f : loading) {
                    f.get();
                }
                double loadSeconds = (System.nanoTime() - t0) / 1e9;
                List<SearchPeopleRequest> queries = new ArrayList<>();
                for (Person p : sample) {
                    PersonMatcher.Query q = generator.noisyQuery(p).query();
                    SearchPeopleRequest.Builder r = SearchPeopleRequest.newBuilder().setFamilyName(q.familyName());
                    if (q.givenNames() != null) {
                        r.setGivenNames(q.givenNames());
                    }
                    if (q.dateOfBirth() != null) {
                        r.setDateOfBirth(com.google.type.Date.newBuilder().setYear(q.dateOfBirth().getYear())
                                .setMonth(q.dateOfBirth().getMonthValue()).setDay(q.dateOfBirth().getDayOfMonth()));
                    }
                    if (q.postcode() != null) {
                        r.setPostcode(q.postcode());
                    }
                    queries.add(r.build());
                }
                double[] probe = probe(queries);
                if (!warm) {
                    run(stub, queries, warmup, null, THREADS);
                    run(stub, null, warmup, generator, THREADS);
                    warm = true;
                }
                Phase single = run(stub, queries, seconds, null, 1); // latency without queueing behind our own calls
                Phase search = run(stub, queries, seconds, null, THREADS);
                Phase register;
                try (Profile profile = Profile.start(names, size)) {
                    register = run(stub, null, seconds, generator, THREADS);
                }
                System.gc();
                var heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                Row row = new Row(names.name().toLowerCase(java.util.Locale.ROOT), size, loadSeconds,
                        quantiles(single.latencies()), single.latencies().length, search, register, probe[0], probe[1],
                        probe[2], heap.getUsed() >> 20, rssMb());
                rows.add(row);
                System.out.println("BENCH " + line(row));
            }
        }
        loaderPool.shutdown();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        rows.forEach(r -> System.out.println("BENCH " + line(r)));
        write(rows, started, seconds, warmup, sizes);
    }

    private static String line(Row r) {
        return String.format("names=%s size=%,d load=%.0fs | search 1 thread: n=%d p50=%.1fms p95=%.1fms p99=%.1fms"
                        + " | search %d threads: %.0f/s p50=%.1fms p95=%.1fms p99=%.1fms cpu %.2f ms/search"
                        + " | registration %d threads: n=%d %.0f/s p50=%.1fms p95=%.1fms p99=%.1fms cpu %.2f ms/registration"
                        + " | other processes %.0f%% of a core | heap used %d MB, RSS %d MB",
                r.names(), r.people(), r.loadSeconds(), r.singleN(), r.single()[0], r.single()[1], r.single()[2], THREADS,
                r.search().rate(), ms(r.search().latencies(), 0.5), ms(r.search().latencies(), 0.95),
                ms(r.search().latencies(), 0.99), r.search().cpuMsPerCall(), THREADS, r.registration().latencies().length,
                r.registration().rate(), ms(r.registration().latencies(), 0.5), ms(r.registration().latencies(), 0.95),
                ms(r.registration().latencies(), 0.99), r.registration().cpuMsPerCall(), r.othersCpuPercent(),
                r.heapUsedMb(), r.rssMb());
    }

    /**
     * The results as a markdown fragment, docs/bench/s2-people-scale.md (bin/bench embeds it in
     * docs/benchmarks.md); {@code -Dbridge.bench.output=...} writes it elsewhere.
     */
    private static void write(List<Row> rows, java.time.Instant started, long seconds, long warmup, int[] sizes)
            throws java.io.IOException {
        java.nio.file.Path out = System.getProperty("bridge.bench.output") != null
                ? java.nio.file.Path.of(System.getProperty("bridge.bench.output"))
                : repositoryRoot().resolve("docs/bench/s2-people-scale.md");
        StringBuilder md = new StringBuilder();
        md.append("<!-- written by PeopleDirectoryBenchmark; do not edit by hand -->\n");
        md.append(String.format("People directory at scale, measured %s to %s UTC.%n%n",
                started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        md.append("```\n./mvnw -B -ntp -pl services/people-directory test -Dbuf.skip=true -Dtest=PeopleDirectoryBenchmark \\\n")
                .append("  -Dbridge.bench=true -Dsurefire.failIfNoSpecifiedTests=false -Dbridge.bench.sizes=")
                .append(Arrays.stream(sizes).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(",")))
                .append(" \\\n  -Dbridge.bench.names=").append(rows.stream().map(Row::names).distinct()
                        .collect(java.util.stream.Collectors.joining(",")))
                .append(" -Dbridge.bench.seconds=").append(seconds).append(" -Dbridge.bench.warmup=").append(warmup)
                .append(" -Dbridge.bench.threads=").append(THREADS).append("\n```\n\n");
        md.append(String.format("Machine: %d cores (%s), %s memory, %s, JDK %s, max heap %d MB. One JVM holds the"
                        + " service (real gRPC port on loopback, token validated per call), the embedded Mongo server"
                        + " (mongo-java-server, in-memory backend) and the load generator. People are bulk-loaded straight into the"
                        + " repository (blocks and records, " + LOADERS + " loader threads), not through gRPC."
                        + " Consent is an in-process"
                        + " allow-all stand-in: this measures the directory, not the consent round trip. Each phase runs"
                        + " %d s after a %d s warm-up (search and registration) before the first size; registration is a"
                        + " closed loop of %d client threads, each registering a new synthetic person (duplicate check"
                        + " in full, `confirm_new_person`) and waiting for the answer. Names: *realistic* draws family"
                        + " names from 50,000 with Zipf-like frequencies (the commonest ~1%%), *uniform* from 170 equally"
                        + " often (`SyntheticPeople.Names`); each name set is loaded into an empty directory.%n%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(), System.getProperty("os.name") + " "
                        + System.getProperty("os.version"), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20,
                seconds, warmup, THREADS));
        md.append("| names | people | bulk load | search 1 thread p50 / p95 / p99 | search ").append(THREADS)
                .append(" threads | p50 / p95 / p99 | CPU per search | registration, ").append(THREADS)
                .append(" threads | p50 / p95 / p99 | CPU per registration | other processes' CPU | keys, ids, block read per search"
                        + " | heap used / RSS |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Phase s = r.search();
            Phase g = r.registration();
            md.append(String.format("| %s | %,d | %.0f s | %.1f / %.1f / %.1f ms | %.0f/s | %.1f / %.1f / %.1f ms | %.2f ms"
                            + " | %.0f/s | %.1f / %.1f / %.1f ms | %.2f ms | %.0f%%%s | %.0f, %.0f, %.2f ms | %,d / %,d MB |%n",
                    r.names(), r.people(), r.loadSeconds(), r.single()[0], r.single()[1], r.single()[2], s.rate(),
                    ms(s.latencies(), 0.5), ms(s.latencies(), 0.95), ms(s.latencies(), 0.99), s.cpuMsPerCall(), g.rate(),
                    ms(g.latencies(), 0.5), ms(g.latencies(), 0.95), ms(g.latencies(), 0.99), g.cpuMsPerCall(),
                    r.othersCpuPercent(), contended(r) ? " **(contended)**" : "", r.keysPerQuery(), r.idsPerQuery(),
                    r.blockReadMs(), r.heapUsedMb(), r.rssMb()));
        }
        md.append("\nCPU per search / registration: this JVM's CPU time during the 8-thread phase divided by the calls"
                + " answered - the service, the embedded Mongo server and the load generator together; it moves far less"
                + " than the rates when other work shares the cores (caches are still shared). Other processes' CPU: the"
                + " machine's busy time"
                + " (/proc/stat) minus this JVM's, during the search and registration phases (the larger), in % of one"
                + " core; above 25% the row is marked *contended* (as bin/bench judges its scenarios) and its latencies"
                + " and rates are upper bounds for latency and lower bounds for throughput. (The load average is no"
                + " guide here: the benchmark itself keeps both cores busy.) Keys, ids: blocking keys a search asks for"
                + " and people under them before the date-of-birth bound (docs/people-directory-scale.md); block read:"
                + " one `_id $in` call, single thread. Heap used after a full GC includes the embedded server's data.\n");
        java.nio.file.Files.createDirectories(out.getParent());
        java.nio.file.Files.writeString(out, md.toString());
        System.out.println("BENCH results written to " + out.toAbsolutePath());
    }

    /** Other processes used more than a quarter of one core while a phase ran (bin/bench's Report rule). */
    private static boolean contended(Row r) {
        return r.othersCpuPercent() > 25;
    }

    private static java.nio.file.Path repositoryRoot() {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (java.nio.file.Path d = dir; d != null; d = d.getParent()) {
            if (java.nio.file.Files.exists(d.resolve("mvnw")) && java.nio.file.Files.isDirectory(d.resolve("docs"))) {
                return d;
            }
        }
        return dir;
    }

    private static String proc(String file, String prefix) {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of(file)).stream().filter(l -> l.startsWith(prefix))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("n/a");
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String cpuModel() {
        return proc("/proc/cpuinfo", "model name");
    }

    private static String memTotal() {
        String kb = proc("/proc/meminfo", "MemTotal");
        try {
            return String.format("%.1f GiB", Long.parseLong(kb.replace("kB", "").strip()) / 1048576.0);
        } catch (NumberFormatException e) {
            return kb;
        }
    }

    private static long rssMb() {
        String kb = proc("/proc/self/status", "VmRSS");
        try {
            return Long.parseLong(kb.replace("kB", "").strip()) >> 10;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double[] quantiles(long[] sorted) {
        return new double[] {ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99)};
    }

    @Autowired
    com.mongodb.client.MongoDatabase db;

    /** Where the time goes: one $in read of the blocks against one primary-key read per key. */
    private double[] probe(List<SearchPeopleRequest> queries) {
        var blocks = db.getCollection("match_blocks");
        long in = 0;
        long eq = 0;
        long keysTotal = 0;
        long idsTotal = 0;
        for (int i = 0; i < 200; i++) {
            SearchPeopleRequest r = queries.get(i);
            var q = new PersonMatcher.Query(r.getGivenNames(), r.getFamilyName(), r.hasDateOfBirth()
                    ? java.time.LocalDate.of(r.getDateOfBirth().getYear(), r.getDateOfBirth().getMonth(), r.getDateOfBirth().getDay())
                    : null, r.getPostcode(), null);
            var keys = PersonMatcher.queryKeys(q);
            keysTotal += keys.size();
            long t = System.nanoTime();
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var d : blocks.find(com.mongodb.client.model.Filters.in("_id", keys))) {
                d.getList("ids", String.class).forEach(e -> ids.add(e.split("\\|")[0]));
            }
            in += System.nanoTime() - t;
            idsTotal += ids.size();
            t = System.nanoTime();
            for (String k : keys) {
                blocks.find(com.mongodb.client.model.Filters.eq("_id", k)).first();
            }
            eq += System.nanoTime() - t;
        }
        System.out.printf("BENCH probe: keys/query=%.0f ids/query=%.0f  $in read %.2f ms/query, eq reads %.2f ms/query%n",
                keysTotal / 200.0, idsTotal / 200.0, in / 200e6, eq / 200e6);
        return new double[] {keysTotal / 200.0, idsTotal / 200.0, in / 200e6};
    }

    /**
     * A JFR recording (settings "profile") of a registration phase when {@code -Dbridge.bench.jfr=<directory>}
     * is given, written there as {@code registration-<names>-<people>.jfr}; otherwise nothing.
     */
    private record Profile(jdk.jfr.Recording recording, java.nio.file.Path file) implements AutoCloseable {
        static Profile start(SyntheticPeople.Names names, int people) throws Exception {
            String dir = System.getProperty("bridge.bench.jfr");
            if (dir == null || dir.isBlank()) {
                return new Profile(null, null);
            }
            jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            r.start();
            return new Profile(r, java.nio.file.Path.of(dir, "registration-" + names.name().toLowerCase(java.util.Locale.ROOT)
                    + "-" + people + ".jfr"));
        }

        @Override
        public void close() throws java.io.IOException {
            if (recording != null) {
                recording.stop();
                java.nio.file.Files.createDirectories(file.getParent());
                recording.dump(file);
                recording.close();
                System.out.println("BENCH profile written to " + file);
            }
        }
    }

    /** Busy CPU ticks of the whole machine (/proc/stat: user+nice+system+irq+softirq+steal), or -1. */
    private static long machineBusyTicks() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Calls from {@code threads} threads for the given seconds, with this JVM's CPU and the others' meanwhile. */
    private static Phase run(PeopleDirectoryServiceBlockingStub stub, List<SearchPeopleRequest> queries, long seconds,
                             SyntheticPeople registrations, int threads) throws Exception {
        long machine0 = machineBusyTicks();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        long[] latencies = calls(stub, queries, seconds, registrations, threads);
        double wall = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpuNanos() - cpu0;
        long machine1 = machineBusyTicks();
        // USER_HZ is 100 on every Linux this runs on
        double others = machine0 < 0 || machine1 < 0 ? 0
                : Math.max(0, 100.0 * ((machine1 - machine0) / 100.0 - cpu / 1e9) / wall);
        return new Phase(latencies, wall, cpu, others);
    }

    /** Calls from {@code threads} threads for the given seconds; latencies in nanoseconds, sorted. */
    private static long[] calls(PeopleDirectoryServiceBlockingStub stub, List<SearchPeopleRequest> queries, long seconds,
                                SyntheticPeople registrations, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger next = new AtomicInteger();
        String run = Long.toString(System.nanoTime(), 36);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                List<Long> out = new ArrayList<>();
                while (System.nanoTime() < end) {
                    int i = next.getAndIncrement();
                    long s = System.nanoTime();
                    if (queries != null) {
                        stub.withDeadlineAfter(5, TimeUnit.SECONDS).searchPeople(queries.get(i % queries.size()));
                    } else {
                        Person p;
                        synchronized (registrations) {
                            p = registrations.newPerson("x");
                        }
                        var b = bridge.proto.people.v1.Person.newBuilder().setPreferredName(PersonName.newBuilder()
                                .setGivenNames(p.preferredName().givenNames()).setFamilyName(p.preferredName().familyName()));
                        if (p.dateOfBirth() != null) {
                            b.setDateOfBirth(com.google.type.Date.newBuilder().setYear(p.dateOfBirth().getYear())
                                    .setMonth(p.dateOfBirth().getMonthValue()).setDay(p.dateOfBirth().getDayOfMonth()));
                        }
                        try {
                            // confirmed: synthetic names collide by design; the duplicate check still runs in full
                            stub.withDeadlineAfter(5, TimeUnit.SECONDS).createPerson(CreatePersonRequest.newBuilder()
                                    .setPerson(b).setConfirmNewPerson(true).setRequestId("bench-" + run + "-" + i).build());
                        } catch (io.grpc.StatusRuntimeException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    out.add(System.nanoTime() - s);
                }
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        return all.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double ms(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
