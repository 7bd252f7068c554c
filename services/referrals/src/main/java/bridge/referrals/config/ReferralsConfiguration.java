package bridge.referrals.config;

import bridge.referrals.domain.ReferralRepository;
import bridge.referrals.domain.Referrals;
import bridge.referrals.persistence.MongoReferralRepository;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
public class ReferralsConfiguration {

    @Bean
    ReferralRepository referralRepository(MongoDatabase db) {
        return new MongoReferralRepository(db);
    }

    @Bean
    Referrals referrals(ReferralRepository referrals, bridge.support.consent.ConsentDecisions decisions, bridge.support.people.PersonVisibility people, Clock clock) {
        return new Referrals(referrals, decisions, people, clock, Ids::next);
    }
}
