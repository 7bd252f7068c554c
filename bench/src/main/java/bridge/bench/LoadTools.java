package bridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.util.Statistics;

/**
 * The three load tools, each run the way its authors intend, and their results read back:
 * <ul>
 *   <li>wrk (closed loop, fixed connections; Debian's package, unpacked by bin/bench) for HTTP at
 *       saturation;</li>
 *   <li>Gatling (its own JVM) for the open-loop constant arrival rate and the create+accept chain;</li>
 *   <li>JMH (in this JVM, no fork, SampleTime) for the direct gRPC, raw Mongo and in-process parts.</li>
 * </ul>
 */
public final class LoadTools {

    private final Path wrk;
    private final Path workDir;
    private final String classpath;

    public LoadTools(Path wrk, Path workDir, String classpath) {
        this.wrk = wrk;
        this.workDir = workDir;
        this.classpath = classpath;
    }

    // ---------------------------------------------------------------- wrk

    private static final Pattern WRK_LINE = Pattern.compile("BENCH (.*)");

    Measurement wrk(String scenario, String url, Path requestsFile, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("requests.lua");
        try (var in = LoadTools.class.getResourceAsStream("/wrk/requests.lua")) {
            Files.write(script, in.readAllBytes());
        }
        Path log = workDir.resolve("wrk-" + System.nanoTime() + ".log");
        List<String> cmd = List.of(wrk.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), url, "--", requestsFile.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // the Debian package's LuaJIT library sits beside the binary (no root needed to install it)
        pb.environment().put("LD_LIBRARY_PATH", wrk.getParent().getParent().resolve("lib/x86_64-linux-gnu").toString());
        Process p = pb.start();
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return Measurement.failed(scenario, "wrk", load(threads, connections), "wrk did not finish");
        }
        return parseWrk(scenario, load(threads, connections), Files.readString(log));
    }

    /** The figures from the line requests.lua's done() prints; a failed measurement if there is none. */
    static Measurement parseWrk(String scenario, String load, String out) {
        Matcher m = WRK_LINE.matcher(out);
        if (!m.find()) {
            return Measurement.failed(scenario, "wrk", load, "no result from wrk: " + out);
        }
        Map<String, Long> f = new HashMap<>();
        for (String kv : m.group(1).trim().split(" ")) {
            String[] p2 = kv.split("=");
            f.put(p2[0], Long.parseLong(p2[1]));
        }
        long errors = f.get("connect") + f.get("read") + f.get("write") + f.get("status") + f.get("timeout");
        double secs = f.get("duration_us") / 1e6;
        return new Measurement(scenario, "wrk 4.1.0", load, f.get("requests"), f.get("requests") / secs,
                f.get("p50_us") / 1000.0, f.get("p99_us") / 1000.0, f.get("p999_us") / 1000.0, errors, Map.of(), null);
    }

    private static String load(int threads, int connections) {
        return "closed loop, " + connections + " connections (" + threads + " threads)";
    }

    // ---------------------------------------------------------------- Gatling

    /** One request name's figures from a Gatling run. */
    public record GatlingStats(long total, long ko, double perSecond, double p50, double p99, double p999) {
    }

    /**
     * Runs a simulation in its own JVM (the load generator process) and returns its per-request
     * figures by request name ("All Requests" for the whole run).
     */
    public Map<String, GatlingStats> gatling(String simulation, Map<String, String> props, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path results = workDir.resolve("gatling");
        Files.createDirectories(results);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx768m",
                // as Gatling's own launchers do: its log writer reads String internals
                "--add-opens=java.base/java.lang=ALL-UNNAMED"));
        props.forEach((k, v) -> cmd.add("-Dbench." + k + "=" + v));
        cmd.addAll(List.of("-cp", classpath, "io.gatling.app.Gatling",
                "--simulation", simulation, "--results-folder", results.toString()));
        Path log = workDir.resolve("gatling-" + simulation.substring(simulation.lastIndexOf('.') + 1) + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("Gatling did not finish in " + timeoutSeconds + " s; see " + log);
        }
        Path newest;
        try (Stream<Path> runs = Files.list(results)) {
            newest = runs.filter(Files::isDirectory).max(Comparator.comparingLong(d -> d.toFile().lastModified()))
                    .orElseThrow(() -> new IOException("Gatling wrote no results; see " + log));
        }
        Path report = newest.resolve("index.html");
        if (!Files.exists(report)) {
            throw new IOException("Gatling wrote no " + report + " (exit " + p.exitValue() + "); see " + log);
        }
        return GatlingReport.read(Files.readString(report, StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- JMH

    /** JMH SampleTime figures: every call timed (sampled), in ms, and the implied rate. */
    record JmhStats(long samples, double perSecond, double p50, double p99, double p999, double mean) {
    }

    static JmhStats jmh(Class<?> benchmark, int threads, int warmupSeconds, int measureSeconds) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(Pattern.quote(benchmark.getName() + "."))
                .forks(0) // in this process: it is the load generator, its CPU and memory are sampled
                .threads(threads)
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .warmupIterations(warmupSeconds > 0 ? 1 : 0)
                .warmupTime(TimeValue.seconds(Math.max(1, warmupSeconds)))
                .measurementIterations(1)
                .measurementTime(TimeValue.seconds(measureSeconds))
                .shouldFailOnError(true);
        RunResult r = new Runner(o.build()).runSingle();
        Statistics s = r.getPrimaryResult().getStatistics();
        double meanUs = s.getMean();
        // closed loop without think time: rate = threads / mean latency (Little's law)
        return new JmhStats(s.getN(), threads / (meanUs / 1e6), s.getPercentile(50) / 1000.0,
                s.getPercentile(99) / 1000.0, s.getPercentile(99.9) / 1000.0, meanUs / 1000.0);
    }
}
