package bridge.referrals.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the liaison services the referrals are handed over to are, and how long one call may take.
 *
 * @param housingTarget  host:port of housing-liaison's gRPC server ({@code bridge.housing.target})
 * @param benefitsTarget host:port of benefits-liaison's gRPC server ({@code bridge.benefits.target})
 * @param deadline       deadline of each call (default 5 s: the liaison writes and schedules delivery)
 */
@ConfigurationProperties("bridge.referrals.handover")
public record HandoverProperties(String housingTarget, String benefitsTarget, Duration deadline) {

    public HandoverProperties {
        housingTarget = housingTarget == null || housingTarget.isBlank() ? "127.0.0.1:9094" : housingTarget;
        benefitsTarget = benefitsTarget == null || benefitsTarget.isBlank() ? "127.0.0.1:9095" : benefitsTarget;
        deadline = deadline == null ? Duration.ofSeconds(5) : deadline;
    }
}
