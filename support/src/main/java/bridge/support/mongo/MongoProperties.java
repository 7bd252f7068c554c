package bridge.support.mongo;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Each service owns exactly one database; its name is configuration so that no code can reach
 * another service's database by accident.
 *
 * @param serverSelectionTimeout how long an operation waits for a reachable server before it fails
 *        (the driver's default, 30 s, would outlast every caller's deadline: a stopped database must
 *        be a prompt UNAVAILABLE, not a hang)
 * @param connectTimeout how long opening a connection may take
 * @param socketTimeout how long a read from the database may wait (the driver's default is forever: a
 *        connection that hangs without being closed, as in a network partition, would hold the request's
 *        thread for good; the gateway stops waiting after 5 s anyway)
 */
@ConfigurationProperties("bridge.mongodb")
public record MongoProperties(String database, @DefaultValue("2s") Duration serverSelectionTimeout,
                              @DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration socketTimeout) {
}
