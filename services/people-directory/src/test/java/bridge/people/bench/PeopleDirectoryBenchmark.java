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
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dbridge.bench.sizes=10000,100000,1000000]}.
 *
 * <p>The consent service is replaced by an in-process stand-in that allows everything and records
 * nothing: this measures the directory (blocking, scoring, Mongo, gRPC), not the consent round trip.
 */
@EnabledIfSystemProperty(named = "bridge.bench", matches = "true")
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class, PeopleDirectoryBenchmark.AllowAll.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.port=19591",
                "spring.grpc.server.host=127.0.0.1", "bridge.mongodb.database=people-directory-bench"})
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
    static final int THREADS = 8;

    @Test
    void searchAndRegistrationAtGrowingSizes() throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("bridge.bench.sizes", "10000,100000").split(","))
                .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        long seconds = Long.getLong("bridge.bench.seconds", 20);
        SyntheticPeople generator = new SyntheticPeople(20261123);
        List<Person> sample = new ArrayList<>();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", 19591).usePlaintext().build();
        PeopleDirectoryServiceBlockingStub stub = PeopleDirectoryServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(TestTokens.bearer(CALLER));
        int loaded = 0;
        List<String> report = new ArrayList<>();
        boolean warm = false;
        for (int size : sizes) {
            long t0 = System.nanoTime();
            while (loaded < size) {
                int chunk = Math.min(100_000, size - loaded);
                List<Person> batch = new ArrayList<>(chunk);
                for (int i = 0; i < chunk; i++) {
                    Person p = generator.newPerson(Ids.next());
                    batch.add(p);
                    if (sample.size() < 20_000 && (loaded + i) % 7 == 0) {
                        sample.add(p);
                    }
                }
                ((MongoPersonRepository) repository).bulkLoad(batch);
                loaded += chunk;
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
            probe(queries);
            if (!warm) {
                run(stub, queries, seconds, null); // JIT warm-up
                warm = true;
            }
            long[] single = run(stub, queries, seconds, null, 1); // latency without queueing behind our own calls
            long[] search = run(stub, queries, seconds, null);
            long[] register = run(stub, null, seconds, generator);
            report.add(String.format("size=%,d load=%.0fs search 1 thread: p50=%.1fms p95=%.1fms | search %d threads: n=%d %.0f/s p50=%.1fms p95=%.1fms p99=%.1fms | "
                            + "registration: n=%d %.0f/s p50=%.1fms p95=%.1fms p99=%.1fms",
                    size, loadSeconds, ms(single, 0.50), ms(single, 0.95), THREADS, search.length, search.length / (double) seconds, ms(search, 0.50), ms(search, 0.95),
                    ms(search, 0.99), register.length, register.length / (double) seconds, ms(register, 0.50),
                    ms(register, 0.95), ms(register, 0.99)));
            System.out.println("BENCH " + report.get(report.size() - 1));
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        report.forEach(r -> System.out.println("BENCH " + r));
    }

    @Autowired
    com.mongodb.client.MongoDatabase db;

    /** Where the time goes: one $in read of the blocks against one primary-key read per key. */
    private void probe(List<SearchPeopleRequest> queries) {
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
    }

    /** Calls from {@value #THREADS} threads for the given seconds; latencies in nanoseconds, sorted. */
    private static long[] run(PeopleDirectoryServiceBlockingStub stub, List<SearchPeopleRequest> queries, long seconds,
                              SyntheticPeople registrations) throws Exception {
        return run(stub, queries, seconds, registrations, THREADS);
    }

    private static long[] run(PeopleDirectoryServiceBlockingStub stub, List<SearchPeopleRequest> queries, long seconds,
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
