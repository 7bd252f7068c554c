package bridge.support.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the consent service (the policy decision point) is, and how long to wait for a decision.
 *
 * @param target   host:port of the consent service's gRPC server
 * @param deadline deadline of each decision call
 */
@ConfigurationProperties("bridge.consent")
public record ConsentClientProperties(String target, Duration deadline) {

    public ConsentClientProperties {
        target = target == null || target.isBlank() ? "127.0.0.1:9092" : target;
        deadline = deadline == null ? Duration.ofSeconds(2) : deadline;
    }
}
