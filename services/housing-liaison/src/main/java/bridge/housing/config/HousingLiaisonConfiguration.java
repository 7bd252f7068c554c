package bridge.housing.config;

import bridge.housing.domain.HousingHistory;
import bridge.housing.domain.HousingSituationRepository;
import bridge.housing.domain.ReleasePlanRepository;
import bridge.housing.domain.ReleasePlans;
import bridge.housing.persistence.MongoHousingSituationRepository;
import bridge.housing.persistence.MongoReleasePlanRepository;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
public class HousingLiaisonConfiguration {

    @Bean
    HousingSituationRepository housingSituationRepository(MongoDatabase db) {
        return new MongoHousingSituationRepository(db);
    }

    /** "Today" for start dates is the partnership's calendar day (UK), not UTC's. */
    @Bean
    HousingHistory housingHistory(HousingSituationRepository situations, Clock clock,
                                  bridge.support.consent.ConsentDecisions decisions, bridge.support.people.PersonVisibility people,
                                  @Value("${bridge.calendar-zone:Europe/London}") String calendarZone) {
        return new HousingHistory(situations, decisions, people, clock, ZoneId.of(calendarZone), Ids::next);
    }

    @Bean
    ReleasePlanRepository releasePlanRepository(MongoDatabase db) {
        return new MongoReleasePlanRepository(db);
    }

    /** A plan without accommodation becomes an alert {@code bridge.housing.release-alert-days} before release. */
    @Bean
    ReleasePlans releasePlans(ReleasePlanRepository plans, Clock clock, bridge.support.consent.ConsentDecisions decisions,
                              bridge.support.people.PersonVisibility people,
                              @Value("${bridge.calendar-zone:Europe/London}") String calendarZone,
                              @Value("${bridge.housing.release-alert-days:28}") int alertDays) {
        return new ReleasePlans(plans, decisions, people, clock, ZoneId.of(calendarZone), Ids::next, alertDays);
    }
}
