package bridge.local;

import bridge.benefits.BenefitsLiaisonApplication;
import bridge.consent.ConsentApplication;
import bridge.gateway.GatewayApplication;
import bridge.housing.HousingLiaisonApplication;
import bridge.local.keycloak.KeycloakServer;
import bridge.people.PeopleDirectoryApplication;
import bridge.referrals.ReferralsApplication;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole platform on one machine: real Keycloak (child process) with the Bridge realm, the
 * embedded MongoDB wire-protocol server (file-backed for the local run, in memory for tests),
 * WireMock standing in for the external partner APIs, the five services and the gateway (Spring
 * contexts in this JVM, each on its own port, talking gRPC over loopback exactly as in a cluster).
 * Used by {@code bin/run-local} and by the end-to-end tests.
 */
public final class LocalPlatform implements AutoCloseable {

    /** Where things listen; 0 picks a free port. */
    public record Options(int gatewayPort, int keycloakPort, int mongoPort, int wiremockPort, int firstGrpcPort,
                          Path mongoFile, Path logDir) {

        public static Options forTests(Path logDir) {
            return new Options(0, 0, 0, 0, 0, null, logDir);
        }

        public static Options forLocalRun(Path dataDir) {
            return new Options(8080, 8180, 27117, 8089, 9091, dataDir.resolve("mongo.mv"), dataDir.resolve("logs"));
        }
    }

    /** A service as the launcher knows it: name, proto package served, how to start it. */
    private record ServiceSpec(String name, String protoPackage, String targetVariable,
                               Function<String[], ConfigurableApplicationContext> main) {
    }

    private static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("people-directory", "bridge.people.v1", "BRIDGE_PEOPLE_DIRECTORY_TARGET", PeopleDirectoryApplication::run),
            new ServiceSpec("consent", "bridge.consent.v1", "BRIDGE_CONSENT_TARGET", ConsentApplication::run),
            new ServiceSpec("referrals", "bridge.referrals.v1", "BRIDGE_REFERRALS_TARGET", ReferralsApplication::run),
            new ServiceSpec("housing-liaison", "bridge.housing.v1", "BRIDGE_HOUSING_LIAISON_TARGET", HousingLiaisonApplication::run),
            new ServiceSpec("benefits-liaison", "bridge.benefits.v1", "BRIDGE_BENEFITS_LIAISON_TARGET", BenefitsLiaisonApplication::run));

    /** System property: use the MongoDB at this URI instead of starting the embedded server in this JVM. */
    public static final String EXTERNAL_MONGO_URI = "bridge.local.mongo-uri";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
    private final Map<String, Integer> grpcPorts = new LinkedHashMap<>();
    /** Each service's command line as name → value, kept so that a drill can restart it the same way. */
    private final Map<String, Map<String, String>> serviceArgs = new LinkedHashMap<>();
    private KeycloakServer keycloak;
    private MongoServer mongo;
    private WireMockServer wiremock;
    private ConfigurableApplicationContext gateway;
    private String mongoUri;
    private int gatewayPort;

    private LocalPlatform() {
    }

    public static LocalPlatform start(Options options) {
        LocalPlatform platform = new LocalPlatform();
        try {
            platform.doStart(options);
            return platform;
        } catch (RuntimeException | Error e) {
            platform.close();
            throw e;
        }
    }

    private void doStart(Options o) {
        // Six Spring contexts share this JVM: let logback.xml configure logging once, instead of
        // each context re-initialising it.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        try {
            Files.createDirectories(o.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Keycloak is the slowest (30 s cold): start it first and build everything else meanwhile.
        int kcPort = port(o.keycloakPort());
        CompletableFuture<KeycloakServer> kc = CompletableFuture.supplyAsync(() -> KeycloakServer.start(
                KeycloakServer.locateDistribution(), KeycloakServer.locateRealmFile(), kcPort,
                o.logDir().resolve("keycloak.log"),
                // a busy machine can need longer than 4 minutes for Keycloak's first start (bin/bench raises it)
                Duration.ofMinutes(Long.getLong("bridge.keycloak.start-minutes", 4))));
        String issuer = "http://127.0.0.1:" + kcPort + "/realms/bridge";

        String externalMongo = System.getProperty(EXTERNAL_MONGO_URI);
        if (externalMongo != null) {
            // a database in its own process (bin/soak: the platform's heap is then the platform's alone)
            mongoUri = externalMongo;
        } else {
            mongo = o.mongoFile() == null ? new MongoServer(new MemoryBackend())
                    : new MongoServer(new H2Backend(o.mongoFile().toString()));
            mongo.bind("127.0.0.1", port(o.mongoPort()));
            toClose.add(mongo::shutdownNow);
            mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        }

        wiremock = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .port(port(o.wiremockPort())).usingFilesUnderClasspath("wiremock"));
        wiremock.start();
        toClose.add(wiremock::stop);

        List<String> targets = new ArrayList<>();
        int next = o.firstGrpcPort();
        for (ServiceSpec s : SERVICES) {
            int grpcPort = next == 0 ? port(0) : next++;
            grpcPorts.put(s.name(), grpcPort);
            targets.add("--" + s.targetVariable() + "=127.0.0.1:" + grpcPort);
        }
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (ServiceSpec s : SERVICES) {
            int grpcPort = grpcPorts.get(s.name());
            Map<String, String> args = new LinkedHashMap<>();
            args.put("spring.mongodb.uri", mongoUri);
            args.put("spring.grpc.server.port", String.valueOf(grpcPort));
            args.put("bridge.security.issuer", issuer);
            args.put("bridge.partners.base-url", "http://127.0.0.1:" + wiremock.port());
            args.put("spring.jmx.enabled", "false");
            // the demo realm's agencies (consent service)
            args.put("spring.profiles.active", "demo");
            // every enforcement point asks the consent service (the policy decision point)
            args.put("bridge.consent.target", "127.0.0.1:" + grpcPorts.get("consent"));
            // person-scoped lists ask the directory whether the caller may see the person
            args.put("bridge.people.directory.target", "127.0.0.1:" + grpcPorts.get("people-directory"));
            // referrals hands duty to refer and release → benefits over to the liaison services
            args.put("bridge.housing.target", "127.0.0.1:" + grpcPorts.get("housing-liaison"));
            args.put("bridge.benefits.target", "127.0.0.1:" + grpcPorts.get("benefits-liaison"));
            args.put("bridge.metrics.host", "127.0.0.1");
            args.put("bridge.metrics.port", String.valueOf(o.firstGrpcPort() == 0 ? 0 : grpcPort + 100));
            // sharing a JVM (and so a classpath) with the gateway: keep its machinery out of services
            args.put("spring.cloud.gateway.server.webflux.enabled", "false");
            // Services make no reactive HTTP calls, but the classpath they share with the gateway would
            // give each a ReactorResourceFactory on Reactor Netty's global resources: closing one
            // service (a restart drill) would then dispose the event loops the gateway serves on.
            args.put("spring.autoconfigure.exclude",
                    "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration");
            serviceArgs.put(s.name(), args);
            starting.add(CompletableFuture.runAsync(() -> run(s, args)));
        }
        gatewayPort = port(o.gatewayPort());
        List<String> gatewayArgs = new ArrayList<>(targets);
        gatewayArgs.add("--server.port=" + gatewayPort);
        gatewayArgs.add("--bridge.gateway.issuer=" + issuer);
        gatewayArgs.add("--spring.jmx.enabled=false");
        // the end-to-end suite sends hundreds of requests per token back to back: a larger burst than
        // a cluster's (the limit itself is tested in the gateway's AbuseLimitsGatewayTest)
        gatewayArgs.add("--bridge.gateway.limits.burst=5000");
        gateway = GatewayApplication.run(gatewayArgs.toArray(String[]::new));
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        keycloak = kc.join();
        awaitHealthy();
    }

    private void run(ServiceSpec s, Map<String, String> args) {
        ConfigurableApplicationContext ctx = s.main().apply(args.entrySet().stream()
                .map(a -> "--" + a.getKey() + "=" + a.getValue()).toArray(String[]::new));
        synchronized (services) {
            services.put(s.name(), ctx);
        }
    }

    private static ServiceSpec spec(String name) {
        return SERVICES.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /**
     * Failure drills: stops one service as a crash would look from outside (its gRPC port closes,
     * calls to it fail). Its data stays in the Mongo server; {@link #startService} brings it back.
     */
    public void stopService(String name) {
        spec(name);
        ConfigurableApplicationContext ctx;
        synchronized (services) {
            ctx = services.remove(name);
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    /**
     * Starts a stopped service again on the same gRPC port with the same configuration, except for
     * {@code overrides} (e.g. another {@code spring.mongodb.uri}, which then stays for later restarts),
     * and waits until it answers its health check.
     */
    public void startService(String name, Map<String, String> overrides) {
        ServiceSpec s = spec(name);
        synchronized (services) {
            if (services.containsKey(name)) {
                throw new IllegalStateException(name + " is running");
            }
        }
        Map<String, String> args = serviceArgs.get(name);
        args.putAll(overrides);
        run(s, args);
        awaitServing(name, grpcPorts.get(name));
    }

    public void startService(String name) {
        startService(name, Map.of());
    }

    /** Failure drills: Keycloak stops answering (frozen, see {@link KeycloakServer#pause()}); {@link #resumeKeycloak()} undoes it. */
    public void pauseKeycloak() {
        keycloak.pause();
    }

    public void resumeKeycloak() {
        keycloak.resume();
    }

    /** The Mongo URI a service currently uses (the platform's, unless a drill restarted it with another). */
    public String serviceMongoUri(String name) {
        spec(name);
        return serviceArgs.get(name).get("spring.mongodb.uri");
    }

    private static void awaitServing(String name, int port) {
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            HealthCheckResponse r = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            if (r.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
                throw new IllegalStateException(name + " is " + r.getStatus());
            }
        } finally {
            ch.shutdownNow();
        }
    }

    /** Every service answers the gRPC health check and the gateway's readiness probe is UP. */
    private void awaitHealthy() {
        for (Map.Entry<String, Integer> e : grpcPorts.entrySet()) {
            awaitServing(e.getKey(), e.getValue());
        }
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("gateway readiness: " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String issuer() {
        return keycloak.issuer();
    }

    public String tokenEndpoint() {
        return keycloak.tokenEndpoint();
    }

    public String mongoUri() {
        return mongoUri;
    }

    public String wiremockUrl() {
        return "http://127.0.0.1:" + wiremock.port();
    }

    public int grpcPort(String service) {
        return grpcPorts.get(service);
    }

    public ConfigurableApplicationContext service(String name) {
        return services.get(name);
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
        synchronized (services) {
            services.values().forEach(ConfigurableApplicationContext::close);
            services.clear();
        }
        if (keycloak != null) {
            keycloak.close();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        toClose.clear();
    }

    static int port(int wanted) {
        if (wanted != 0) {
            return wanted;
        }
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
