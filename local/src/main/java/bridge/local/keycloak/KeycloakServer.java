package bridge.local.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak, started from the distribution zip on Maven Central (unpacked by {@code local/pom.xml}), as a child
 * process on loopback, importing the Bridge realm ({@code helm/bridge/files/keycloak/bridge-realm.json}) fresh on every
 * start ({@code --db=dev-mem}: nothing survives a stop).
 *
 * <p>Development mode only ({@code start-dev}): plain HTTP on 127.0.0.1, an in-memory database, and a temporary
 * master-realm administrator {@value #ADMIN_USERNAME}/{@value #ADMIN_PASSWORD}. The issuer is pinned to
 * {@code http://127.0.0.1:<port>/realms/bridge} whichever host name a caller uses, so tokens fetched via
 * {@code localhost} still validate against {@link #issuer()}.
 *
 * <p>{@link #close()} (and a JVM shutdown hook, so Ctrl-C never leaves Keycloak running) ends the process and
 * all its descendants: {@code kc.sh} forks the JVM, and after a re-augmentation replaces itself with a second one.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "bridge";
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    static final String HOME_PROPERTY = "bridge.keycloak.home";
    static final String HOME_ENV = "BRIDGE_KEYCLOAK_HOME";
    static final String REALM_PROPERTY = "bridge.keycloak.realm";
    static final String REALM_RELATIVE_PATH = "helm/bridge/files/keycloak/bridge-realm.json";
    static final String LOOPBACK = "127.0.0.1";
    static final int MAIN_PORT = 8180;

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 60;
    private static final int PORT_RETRIES = 3;

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path logFile;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private KeycloakServer(Process process, int port, int managementPort, Path logFile) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcessTree, "keycloak-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // locating the distribution and the realm

    /**
     * The Keycloak home (the directory holding {@code bin/kc.sh}): system property {@value #HOME_PROPERTY}, else
     * environment variable {@value #HOME_ENV}, else {@code local/target/keycloak} found upwards from the working
     * directory. Either may name the home itself or the unpack directory holding one {@code keycloak-<version>}.
     */
    public static Path locateDistribution() {
        String configured = System.getProperty(HOME_PROPERTY);
        String source = "system property " + HOME_PROPERTY;
        if (isBlank(configured)) {
            configured = System.getenv(HOME_ENV);
            source = "environment variable " + HOME_ENV;
        }
        if (isBlank(configured)) {
            Path found = searchUpwards(Path.of("local", "target", "keycloak"));
            if (found == null) {
                throw new IllegalStateException("Keycloak distribution not found: set system property " + HOME_PROPERTY
                        + " or environment variable " + HOME_ENV + " to the directory holding bin/kc.sh, or unpack it with"
                        + " `./mvnw -f local/pom.xml generate-resources` (into local/target/keycloak)");
            }
            configured = found.toString();
            source = "local/target/keycloak found upwards from " + System.getProperty("user.dir");
        }
        Path dir = Path.of(configured).toAbsolutePath().normalize();
        if (Files.isRegularFile(dir.resolve("bin/kc.sh"))) {
            return dir;
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                List<Path> homes = children.filter(c -> Files.isRegularFile(c.resolve("bin/kc.sh"))).sorted().toList();
                if (homes.size() == 1) {
                    return homes.getFirst();
                }
                if (homes.size() > 1) {
                    throw new IllegalStateException("Several Keycloak distributions under " + dir + " (from " + source
                            + "): " + homes + "; point at one of them");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + dir, e);
            }
        }
        throw new IllegalStateException("No Keycloak distribution at " + dir + " (from " + source + "): expected bin/kc.sh"
                + " there or in one sub-directory; run `./mvnw -f local/pom.xml generate-resources` to unpack it");
    }

    /**
     * The realm definition: system property {@value #REALM_PROPERTY}, else {@value #REALM_RELATIVE_PATH} found upwards
     * from the working directory.
     */
    public static Path locateRealmFile() {
        String configured = System.getProperty(REALM_PROPERTY);
        if (!isBlank(configured)) {
            Path file = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("Realm file " + file + " (system property " + REALM_PROPERTY + ") does not exist");
            }
            return file;
        }
        Path found = searchUpwards(Path.of(REALM_RELATIVE_PATH));
        if (found == null || !Files.isRegularFile(found)) {
            throw new IllegalStateException("Realm file not found: no " + REALM_RELATIVE_PATH + " above "
                    + System.getProperty("user.dir") + "; set system property " + REALM_PROPERTY);
        }
        return found;
    }

    private static Path searchUpwards(Path relative) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate.normalize();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // starting

    /**
     * Starts Keycloak and waits until the realm's OpenID configuration answers 200.
     *
     * @param httpPort 0 picks a free port (retried on a bind clash)
     * @throws IllegalStateException with the end of the log if Keycloak exits or is not ready within {@code timeout}
     */
    public static KeycloakServer start(Path distribution, Path realmFile, int httpPort, Path logFile, Duration timeout) {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("Keycloak 26 needs Java 21 or newer; this JVM is " + Runtime.version()
                    + " (" + System.getProperty("java.home") + "); source bin/jdk.sh");
        }
        Path home = distribution.toAbsolutePath().normalize();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Not a Keycloak distribution (no bin/kc.sh): " + home);
        }
        installRealm(home, realmFile);
        Instant deadline = Instant.now().plus(timeout);
        for (int attempt = 1; ; attempt++) {
            int port = httpPort == 0 ? freePort() : httpPort;
            int managementPort = freePort(port);
            KeycloakServer server = launch(home, port, managementPort, logFile);
            try {
                server.awaitReady(deadline);
                return server;
            } catch (RuntimeException e) {
                server.close();
                boolean clash = httpPort == 0 && attempt < PORT_RETRIES && logShowsBindClash(logFile);
                if (!clash) {
                    throw e;
                }
            }
        }
    }

    private static void installRealm(Path home, Path realmFile) {
        if (!Files.isRegularFile(realmFile)) {
            throw new IllegalStateException("Realm file does not exist: " + realmFile);
        }
        try {
            Path importDir = Files.createDirectories(home.resolve("data/import"));
            Files.copy(realmFile, importDir.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the realm file into " + home.resolve("data/import"), e);
        }
    }

    private static KeycloakServer launch(Path home, int port, int managementPort, Path logFile) {
        List<String> command = List.of("/bin/sh", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=" + LOOPBACK,
                "--http-port=" + port,
                "--http-management-port=" + managementPort,
                "--hostname=http://" + LOOPBACK + ":" + port,
                "--import-realm",
                "--db=dev-mem");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // a Keycloak or Quarkus setting inherited from the shell must not change what the tests see
        env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("QUARKUS_"));
        env.remove("JAVA");
        env.remove("JAVA_OPTS");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        if (Runtime.version().feature() >= 24) {
            // Keycloak 26.5's libraries on JDK 24+: JBoss Threads needs java.lang opened (else an IllegalAccessError at
            // shutdown) and Netty still uses sun.misc.Unsafe memory access (else a deprecation warning on start)
            env.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow");
        } else {
            env.remove("JAVA_OPTS_APPEND");
        }
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Path log = logFile.toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            Process process = builder.start();
            process.getOutputStream().close(); // Keycloak reads nothing from stdin
            return new KeycloakServer(process, port, managementPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    private void awaitReady(Instant deadline) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " before it was ready; end of " + logFile + ":\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Keycloak was not ready at " + probe.uri() + " within the timeout; end of "
                        + logFile + ":\n" + logTail());
            }
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // accessors

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://" + LOOPBACK + ":" + port;
    }

    /** {@code http://127.0.0.1:<port>/realms/bridge} */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String jwksUri() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** Token endpoint of the master realm, where {@link #ADMIN_USERNAME} logs in (client {@code admin-cli}). */
    public String adminTokenEndpoint() {
        return baseUrl() + "/realms/master/protocol/openid-connect/token";
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Blocks until the Keycloak process ends (for {@link #main}). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // outage drills

    /**
     * Freezes Keycloak (SIGSTOP to it and every descendant): the identity provider is down the hard way — its
     * port still accepts connections, nothing ever answers — with its realm, keys and sessions intact for
     * {@link #resume()}. A restart would not do for a drill: the dev database is in memory, so a restarted
     * Keycloak signs with new keys and every token issued before is void.
     */
    public void pause() {
        signal("STOP");
    }

    /** Undoes {@link #pause()} (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        for (ProcessHandle p : tree) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + name + " " + p.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot signal Keycloak (kill -" + name + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while signalling Keycloak", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // stopping

    /** Stops Keycloak (SIGTERM, then SIGKILL after a grace period) with every descendant, and waits for them. */
    @Override
    public void close() {
        stopProcessTree();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to run; it stops the same processes
        }
    }

    private synchronized void stopProcessTree() {
        if (closed) {
            return;
        }
        closed = true;
        // take the tree first: once kc.sh is gone its children are re-parented and no longer its descendants
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, STOP_GRACE)) {
            process.descendants().forEach(tree::add); // anything forked meanwhile
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, Duration.ofSeconds(10));
        }
    }

    private static boolean awaitExit(List<ProcessHandle> handles, Duration timeout) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception timedOut) {
            return handles.stream().noneMatch(ProcessHandle::isAlive);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private String logTail() {
        return tail(logFile, LOG_TAIL_LINES);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static boolean logShowsBindClash(Path logFile) {
        String tail = tail(logFile, LOG_TAIL_LINES);
        return tail.contains("Address already in use") || tail.contains("Port already bound");
    }

    private static int freePort() {
        return freePort(-1);
    }

    /** A port free on loopback right now (another process may still take it before Keycloak binds it). */
    private static int freePort(int otherThan) {
        for (int i = 0; i < 10; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
                int candidate = socket.getLocalPort();
                if (candidate != otherThan) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on " + LOOPBACK, e);
            }
        }
        throw new IllegalStateException("Cannot find a free port on " + LOOPBACK);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Starts Keycloak on port {@value #MAIN_PORT} (or the first argument) and runs until Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : MAIN_PORT;
        Path home = locateDistribution();
        Path realm = locateRealmFile();
        Path log = home.resolve("data/log/bridge-keycloak-" + port + ".log");
        System.out.println("Starting Keycloak from " + home + " with realm " + realm + "; log: " + log);
        long started = System.nanoTime();
        KeycloakServer server = start(home, realm, port, log, Duration.ofMinutes(3));
        System.out.printf("Keycloak ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.out.println("  issuer:         " + server.issuer());
        System.out.println("  token endpoint: " + server.tokenEndpoint());
        System.out.println("  admin console:  " + server.baseUrl() + "/admin (" + ADMIN_USERNAME + "/" + ADMIN_PASSWORD + ")");
        System.out.println("  demo users:     <agency>-worker, <agency>-manager, platform-operator, dpo; password bridge-demo");
        System.out.println("  integrators:    <agency>-integrator / <agency>-integrator-secret (client credentials)");
        System.out.println("Ctrl-C stops it.");
        int exit = server.waitFor();
        if (!server.closed) {
            System.err.println("Keycloak exited by itself with code " + exit + "; end of log:\n" + server.logTail());
            server.close();
            System.exit(1);
        }
    }
}
