package bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the failure drills check on every answer given during an outage. */
final class Drills {

    private Drills() {
    }

    /**
     * An outage as a client sees it: the given status as problem+json, and nothing of the platform's
     * insides — no exception, stack frame, host, address or port of any service.
     */
    static void assertOutageProblem(HttpResponse<String> r, int... statuses) {
        assertThat(statuses).as(r.body()).contains(r.statusCode());
        assertThat(r.headers().firstValue("Content-Type")).as(r.body()).hasValue("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at bridge.").doesNotContain(".java")
                .doesNotContain("127.0.0.1").doesNotContain("localhost").doesNotContain("mongodb");
        var platform = Platform.get();
        for (String service : new String[] {"people-directory", "consent", "referrals", "housing-liaison", "benefits-liaison"}) {
            assertThat(r.body()).doesNotContain(":" + platform.grpcPort(service));
        }
    }

    /** Repeats a request until it succeeds (2xx); until then each answer must be a clean 503. */
    static HttpResponse<String> retryUntilOk(Supplier<HttpResponse<String>> call, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            HttpResponse<String> r = call.get();
            if (r.statusCode() / 100 == 2) {
                return r;
            }
            assertOutageProblem(r, 503);
            if (System.nanoTime() > until) {
                throw new AssertionError("still failing after " + limit + ": " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(200);
        }
    }

    static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
