package bridge.referrals.config;

import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayTimers;
import bridge.referrals.domain.ReferralRepository;
import bridge.referrals.domain.TimerPolicy;
import bridge.referrals.domain.Referrals;
import bridge.referrals.persistence.MongoReferralRepository;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReferralsProperties.class)
public class ReferralsConfiguration {

    @Bean
    ReferralRepository referralRepository(MongoDatabase db) {
        return new MongoReferralRepository(db);
    }

    @Bean
    TimerPolicy timerPolicy(ReferralsProperties properties) {
        Map<Pathway, PathwayTimers> overrides = new EnumMap<>(Pathway.class);
        properties.timers().forEach((pathway, t) -> overrides.put(pathway, t.toDomain()));
        return new TimerPolicy(overrides);
    }

    @Bean
    MicrometerReferralEvents referralEvents(io.micrometer.core.instrument.MeterRegistry meters) {
        return new MicrometerReferralEvents(meters);
    }

    @Bean
    Referrals referrals(ReferralRepository referrals, bridge.support.consent.ConsentDecisions decisions,
                        bridge.support.people.PersonVisibility people, Clock clock, TimerPolicy timers,
                        MicrometerReferralEvents events) {
        Referrals r = new Referrals(referrals, decisions, people, clock, Ids::next, timers).withEvents(events);
        events.start(r, clock);
        return r;
    }
}
