package bridge.benefits.config;

import bridge.benefits.domain.ClaimRepository;
import bridge.benefits.domain.Claims;
import bridge.benefits.persistence.MongoClaimRepository;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
public class BenefitsLiaisonConfiguration {

    @Bean
    ClaimRepository claimRepository(MongoDatabase db) {
        return new MongoClaimRepository(db);
    }

    @Bean
    Claims claims(ClaimRepository claims, bridge.support.consent.ConsentDecisions decisions, bridge.support.people.PersonVisibility people, Clock clock) {
        return new Claims(claims, decisions, people, clock, Ids::next);
    }
}
