package bridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JDK Flight Recorder profile of the platform JVM over one scenario (jcmd JFR.start/stop, the
 * "profile" settings: execution samples every 10 ms), summarised two ways: the JDK's own
 * {@code jfr view hot-methods} (top frames), and the share of CPU samples whose stack passes through
 * each part of the platform (inclusive), which is what tells where a request's time goes.
 */
final class Jfr {

    /** Inclusive buckets: a sample counts in every bucket one of its frames matches. */
    static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("gateway HTTP edge (Reactor Netty, WebFlux, Spring Cloud Gateway)",
                List.of("reactor.netty.", "org.springframework.web.", "org.springframework.cloud.gateway."));
        AREAS.put("Spring Security (gateway and services)", List.of("org.springframework.security."));
        AREAS.put("JWT signature/claims (Nimbus)", List.of("com.nimbusds."));
        AREAS.put("gateway transcoding (bridge.gateway.transcoding)", List.of("bridge.gateway.transcoding."));
        AREAS.put("gateway gRPC calls (bridge.gateway.grpc)", List.of("bridge.gateway.grpc."));
        AREAS.put("shared-record composer (bridge.gateway.record)", List.of("bridge.gateway.record."));
        AREAS.put("protobuf JSON (JsonFormat)", List.of("com.google.protobuf.util.JsonFormat"));
        AREAS.put("gRPC (io.grpc)", List.of("io.grpc."));
        AREAS.put("Micrometer (metrics, observations)", List.of("io.micrometer."));
        AREAS.put("Resilience4j", List.of("io.github.resilience4j."));
        AREAS.put("services' own code (bridge.people/consent/referrals/housing/benefits)",
                List.of("bridge.people.", "bridge.consent.", "bridge.referrals.", "bridge.housing.", "bridge.benefits."));
        AREAS.put("shared plumbing (bridge.support)", List.of("bridge.support."));
        AREAS.put("MongoDB driver (services' side)", List.of("com.mongodb."));
        AREAS.put("embedded Mongo server (mongo-java-server, in this JVM)", List.of("de.bwaldvogel."));
        AREAS.put("logging", List.of("ch.qos.logback.", "org.slf4j."));
    }

    private final long pid;
    private final Path file;

    private Jfr(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    static Jfr start(long pid, Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        run(List.of(tool("jcmd"), Long.toString(pid), "JFR.start", "name=bench", "settings=profile"));
        return new Jfr(pid, file);
    }

    /** The profile, or a line saying why there is none (a profile is never worth failing the run for). */
    Profile stopAndSummarise() {
        try {
            run(List.of(tool("jcmd"), Long.toString(pid), "JFR.stop", "name=bench", "filename=" + file));
            String hot = run(List.of(tool("jfr"), "view", "--width", "160", "hot-methods", file.toString()));
            String samples = run(List.of(tool("jfr"), "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96",
                    file.toString()));
            return new Profile(hot, areas(samples), selfAreas(samples), null);
        } catch (IOException | InterruptedException e) {
            return new Profile("", Map.of(), Map.of(), String.valueOf(e.getMessage()));
        }
    }

    /**
     * hot-methods text; area -> share of samples (0..1) whose stack passes through it, with a total under
     * key "samples"; area -> share of samples spent in it itself (see {@link #selfAreas}); or why not.
     */
    record Profile(String hotMethods, Map<String, Double> areas, Map<String, Double> self, String failure) {
    }

    /**
     * The recording as an interactive flame graph (HTML), by async-profiler's converter (jfr-converter
     * from Maven Central, on the bench classpath): the JDK's execution samples, lambdas' names normalised.
     */
    static void flameGraph(Path recording, Path html, String classpath, String title) throws IOException, InterruptedException {
        Files.createDirectories(html.getParent());
        // no --cpu: that option reads async-profiler's own CPU events and finds none in a JDK recording
        run(List.of(tool("java"), "-cp", classpath, "one.convert.Main", "--norm", "--dot", "--title", title,
                recording.toString(), html.toString()));
    }

    /**
     * Exclusive shares: each sample counts once, for the part of its innermost frame outside the JDK
     * (a frame in java.*, jdk.*, sun.* is charged to the code that called it). Inclusive shares say what
     * a part wraps (an observation around a whole call "contains" the call); these say what it costs.
     */
    static Map<String, Double> selfAreas(String printed) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        AREAS.keySet().forEach(a -> counts.put(a, 0));
        counts.put(OTHER, 0);
        int samples = 0;
        String innermost = null;
        boolean inStack = false;
        for (String line : printed.split("\n")) {
            String t = line.trim();
            if (t.startsWith("stackTrace = [")) {
                inStack = true;
                innermost = null;
            } else if (inStack && t.equals("]")) {
                inStack = false;
                samples++;
                String part = OTHER;
                if (innermost != null) {
                    for (Map.Entry<String, List<String>> a : AREAS.entrySet()) {
                        String frame = innermost;
                        if (a.getValue().stream().anyMatch(frame::startsWith)) {
                            part = a.getKey();
                            break;
                        }
                    }
                }
                counts.merge(part, 1, Integer::sum);
            } else if (inStack && innermost == null && !t.startsWith("java.") && !t.startsWith("jdk.")
                    && !t.startsWith("sun.") && !t.startsWith("javax.") && !t.startsWith("com.sun.")) {
                innermost = t;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        int n = Math.max(1, samples);
        counts.forEach((k, v) -> out.put(k, v / (double) n));
        return out;
    }

    static final String OTHER = "other (Netty, Reactor, Spring, protobuf, JDK-only stacks, ...)";

    static Map<String, Double> areas(String printed) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        AREAS.keySet().forEach(a -> counts.put(a, 0));
        int samples = 0;
        List<String> stack = new ArrayList<>();
        boolean inStack = false;
        for (String line : printed.split("\n")) {
            String t = line.trim();
            if (t.startsWith("stackTrace = [")) {
                inStack = true;
                stack.clear();
            } else if (inStack && t.equals("]")) {
                inStack = false;
                samples++;
                for (Map.Entry<String, List<String>> a : AREAS.entrySet()) {
                    if (stack.stream().anyMatch(f -> a.getValue().stream().anyMatch(f::startsWith))) {
                        counts.merge(a.getKey(), 1, Integer::sum);
                    }
                }
            } else if (inStack) {
                stack.add(t);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        int n = Math.max(1, samples);
        counts.forEach((k, v) -> out.put(k, v / (double) n));
        out.put("samples", (double) samples);
        return out;
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(out));
        }
        return new String(out);
    }
}
