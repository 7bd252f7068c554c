package bridge.bench;

import java.util.Map;

/**
 * One measured scenario: rate, latency percentiles (ms), errors, and what each process used while
 * it ran. {@code failure} is set when the tool could not complete the run (the figures are then 0).
 */
record Measurement(String scenario, String tool, String load, long requests, double perSecond,
                   double p50, double p99, double p999, long errors, Map<String, ProcessSampler.Usage> usage,
                   String failure) {

    static Measurement failed(String scenario, String tool, String load, String why) {
        return new Measurement(scenario, tool, load, 0, 0, 0, 0, 0, 0, Map.of(), why);
    }

    boolean ok() {
        return failure == null;
    }

    Measurement withUsage(Map<String, ProcessSampler.Usage> u) {
        return new Measurement(scenario, tool, load, requests, perSecond, p50, p99, p999, errors, u, failure);
    }
}
