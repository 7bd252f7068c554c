package bridge.consent.config;

import bridge.consent.domain.ConsentRepository;
import bridge.consent.domain.Consents;
import bridge.consent.persistence.MongoConsentRepository;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
public class ConsentConfiguration {

    @Bean
    ConsentRepository consentRepository(MongoDatabase db) {
        return new MongoConsentRepository(db);
    }

    @Bean
    Consents consents(ConsentRepository consents, Clock clock) {
        return new Consents(consents, clock, Ids::next);
    }
}
