package bridge.support.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the people directory is, for services that check a person's visibility.
 *
 * @param target   host:port of its gRPC server ({@code bridge.people.directory.target}; env
 *                 BRIDGE_PEOPLE_DIRECTORY_TARGET in a cluster)
 * @param deadline deadline of each call
 */
@ConfigurationProperties("bridge.people.directory")
public record PeopleClientProperties(String target, Duration deadline) {

    public PeopleClientProperties {
        target = target == null || target.isBlank() ? "127.0.0.1:9091" : target;
        deadline = deadline == null ? Duration.ofSeconds(2) : deadline;
    }
}
