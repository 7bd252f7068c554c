package bridge.support.mongo;

import com.mongodb.MongoClientSettings;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;

/**
 * The driver's timeouts for every service, from {@link MongoProperties}. Applied after the connection
 * string, so these settings win over timeouts written into {@code spring.mongodb.uri}.
 */
public final class MongoTimeouts implements MongoClientSettingsBuilderCustomizer {

    private final MongoProperties properties;

    public MongoTimeouts(MongoProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(MongoClientSettings.Builder settings) {
        settings.applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
                properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS));
        settings.applyToSocketSettings(socket -> socket
                .connectTimeout((int) properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout((int) properties.socketTimeout().toMillis(), TimeUnit.MILLISECONDS));
        // a full pool (every connection stuck) fails like an unreachable server, not after the default 2 minutes
        settings.applyToConnectionPoolSettings(pool -> pool.maxWaitTime(
                properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }
}
