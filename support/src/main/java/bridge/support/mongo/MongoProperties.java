package bridge.support.mongo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Each service owns exactly one database; its name is configuration so that no code can reach
 * another service's database by accident.
 */
@ConfigurationProperties("bridge.mongodb")
public record MongoProperties(String database) {
}
