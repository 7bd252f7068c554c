package bridge.support.partner;

import java.net.URI;
import java.time.Duration;

/**
 * How Bridge talks to one partner system. {@link #defaults(String, URI)} holds the values chosen
 * for the housing authority and DWP APIs (docs/adr/0009-partner-systems.md says why):
 *
 * <ul>
 *   <li>deadline 5 s per attempt (connect 2 s): their APIs answer in well under a second when well;
 *       a delivery thread must never wait on a hung partner.</li>
 *   <li>2 attempts in the client, 250 ms then 500 ms apart, only for repeatable requests: smooths a
 *       dropped connection; longer outages are the outbox's job, which retries for a day.</li>
 *   <li>breaker: count-based window of the last 20 calls, judged after 10, opens at 50 % failures
 *       (or 50 % calls slower than 4 s), stays open 60 s, then lets 3 trial calls through. A delivery
 *       loop polling every second would otherwise keep hammering a partner that is down, and each
 *       attempt would burn a 5 s deadline.</li>
 *   <li>bulkhead: 8 concurrent calls per partner, no waiting: the outbox dispatcher is one thread
 *       and status polling another, so 8 leaves room for replicas' bursts without letting one slow
 *       partner tie up a service's threads.</li>
 * </ul>
 */
public record PartnerSettings(
        URI baseUrl,
        Duration connectTimeout,
        Duration deadline,
        int maxAttempts,
        Duration retryBackoff,
        int breakerWindow,
        int breakerMinimumCalls,
        float breakerFailureRatePercent,
        Duration breakerSlowCall,
        Duration breakerOpenFor,
        int breakerHalfOpenCalls,
        int maxConcurrentCalls) {

    public PartnerSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        String url = baseUrl.toString();
        if (url.endsWith("/")) {
            baseUrl = URI.create(url.substring(0, url.length() - 1));
        }
    }

    public static PartnerSettings defaults(URI baseUrl) {
        return new PartnerSettings(baseUrl, Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofMillis(250),
                20, 10, 50f, Duration.ofSeconds(4), Duration.ofSeconds(60), 3, 8);
    }

    public PartnerSettings withDeadline(Duration deadline) {
        return new PartnerSettings(baseUrl, connectTimeout, deadline, maxAttempts, retryBackoff, breakerWindow,
                breakerMinimumCalls, breakerFailureRatePercent, deadline.compareTo(breakerSlowCall) < 0 ? deadline : breakerSlowCall,
                breakerOpenFor, breakerHalfOpenCalls, maxConcurrentCalls);
    }

    public PartnerSettings withBreaker(int window, int minimumCalls, Duration openFor) {
        return new PartnerSettings(baseUrl, connectTimeout, deadline, maxAttempts, retryBackoff, window, minimumCalls,
                breakerFailureRatePercent, breakerSlowCall, openFor, breakerHalfOpenCalls, maxConcurrentCalls);
    }

    public PartnerSettings withAttempts(int attempts, Duration backoff) {
        return new PartnerSettings(baseUrl, connectTimeout, deadline, attempts, backoff, breakerWindow, breakerMinimumCalls,
                breakerFailureRatePercent, breakerSlowCall, breakerOpenFor, breakerHalfOpenCalls, maxConcurrentCalls);
    }
}
