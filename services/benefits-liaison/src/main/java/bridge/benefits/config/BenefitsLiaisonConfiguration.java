package bridge.benefits.config;

import bridge.benefits.domain.ClaimPreparationRepository;
import bridge.benefits.domain.ClaimPreparations;
import bridge.benefits.domain.ClaimRepository;
import bridge.benefits.persistence.MongoClaimPreparationRepository;
import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
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

    @Bean
    ClaimPreparationRepository claimPreparationRepository(MongoDatabase db) {
        return new MongoClaimPreparationRepository(db);
    }

    /**
     * Not ready {@code bridge.benefits.readiness-alert-days} before release is an alert; so is a first
     * payment not expected within {@code bridge.benefits.payment-gap-days} after release.
     */
    @Bean
    ClaimPreparations claimPreparations(ClaimPreparationRepository preparations,
                                        bridge.support.consent.ConsentDecisions decisions, Clock clock,
                                        @Value("${bridge.calendar-zone:Europe/London}") String calendarZone,
                                        @Value("${bridge.benefits.readiness-alert-days:14}") int readinessDays,
                                        @Value("${bridge.benefits.payment-gap-days:14}") int paymentGapDays) {
        return new ClaimPreparations(preparations, decisions, clock, ZoneId.of(calendarZone), Ids::next, readinessDays,
                paymentGapDays);
    }
}
