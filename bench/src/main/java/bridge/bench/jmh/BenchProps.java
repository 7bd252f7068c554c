package bridge.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the JMH benchmarks need from the driver (ports, tokens, seeded people), passed as system
 * properties: JMH runs them in the driver's JVM (no fork), so the driver sets these first.
 */
final class BenchProps {

    private BenchProps() {
    }

    static String get(String name) {
        String v = System.getProperty("bench." + name);
        if (v == null) {
            throw new IllegalStateException("system property bench." + name + " is not set (run through bin/bench)");
        }
        return v;
    }

    static int grpcPort(String service) {
        return Integer.parseInt(get("grpc." + service));
    }

    /** Person ids (no "people/" prefix) seeded for the run, one a line. */
    static List<String> people() {
        try {
            return Files.readAllLines(Path.of(get("peopleFile"))).stream().filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
