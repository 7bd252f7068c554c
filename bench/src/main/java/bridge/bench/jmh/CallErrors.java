package bridge.bench.jmh;

import java.util.concurrent.atomic.LongAdder;

/**
 * Calls that failed (status, deadline) during the measured iteration. Counted, not thrown: under
 * overload a failed call is a result to report, as wrk and Gatling report non-2xx answers, and it
 * must not end the run. The driver reads it after each JMH part.
 */
public final class CallErrors {

    private static final LongAdder ERRORS = new LongAdder();

    private CallErrors() {
    }

    static void count() {
        ERRORS.increment();
    }

    /** Called before every iteration, so what is left at the end belongs to the measured one. */
    public static void reset() {
        ERRORS.reset();
    }

    public static long measured() {
        return ERRORS.sum();
    }
}
