package bridge.gateway.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits that keep one client from taking the gateway from everyone else.
 *
 * @param requestsPerSecond  sustained requests per second per client (token subject); 0 turns the limit off
 * @param burst              requests a client may make at once before the sustained rate applies
 * @param requestReadTimeout longest time from a request's first byte to its last (headers and body): a
 *                           client that dribbles them (slowloris) is disconnected
 * @param corsAllowedOrigins portal origins allowed to call from a browser (exact origins, never {@code *})
 */
@ConfigurationProperties("bridge.gateway.limits")
public record AbuseLimitsProperties(Double requestsPerSecond, Integer burst, Duration requestReadTimeout,
                                    List<String> corsAllowedOrigins) {

    public AbuseLimitsProperties {
        requestsPerSecond = requestsPerSecond == null ? 100.0 : requestsPerSecond;
        burst = burst == null ? 200 : burst;
        requestReadTimeout = requestReadTimeout == null ? Duration.ofSeconds(15) : requestReadTimeout;
        corsAllowedOrigins = corsAllowedOrigins == null ? List.of()
                : corsAllowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (corsAllowedOrigins.stream().anyMatch(o -> o.contains("*"))) {
            throw new IllegalArgumentException("bridge.gateway.limits.cors-allowed-origins: list exact origins, not wildcards");
        }
    }
}
