package bridge.bench.gatling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the simulations read: system properties set by the driver and its data files. */
final class BenchData {

    private BenchData() {
    }

    static String prop(String name) {
        String v = System.getProperty("bench." + name);
        if (v == null) {
            throw new IllegalStateException("system property bench." + name + " is not set (run through bin/bench)");
        }
        return v;
    }

    static int intProp(String name) {
        return Integer.parseInt(prop(name));
    }

    /** Lines "GET path token" of the shared-record requests file (as wrk reads it) as feeder records. */
    static List<Map<String, Object>> requests() {
        return lines(prop("requestsFile")).stream().map(l -> l.split(" "))
                .map(f -> Map.<String, Object>of("path", f[1], "token", f[2])).toList();
    }

    static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
