package bridge.gateway.record;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param partDeadline how long the shared record waits for each service (default 2 s); never longer
 *                     than the caller's own deadline allows. A part that misses it is UNAVAILABLE.
 */
@ConfigurationProperties("bridge.gateway.shared-record")
public record SharedRecordProperties(Duration partDeadline) {

    public SharedRecordProperties {
        partDeadline = partDeadline == null || partDeadline.isNegative() || partDeadline.isZero()
                ? Duration.ofSeconds(2) : partDeadline;
    }
}
