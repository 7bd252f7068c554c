package bridge.people.config;

import bridge.people.domain.CareTeams;
import bridge.people.domain.PeopleDirectory;
import bridge.people.domain.PersonRepository;
import bridge.people.domain.Stewardship;
import bridge.people.persistence.MongoPersonRepository;
import bridge.support.consent.ConsentDecisions;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
public class PeopleDirectoryConfiguration {

    @Bean
    PersonRepository personRepository(MongoDatabase db) {
        return new MongoPersonRepository(db);
    }

    @Bean
    CareTeams careTeams(PersonRepository people, PeopleDirectory directory, Clock clock) {
        return new CareTeams(people, directory.views(), clock);
    }

    @Bean
    Stewardship stewardship(PersonRepository people, Clock clock) {
        return new Stewardship(people, clock, Ids::next, Ids::derived);
    }

    @Bean
    PeopleDirectory peopleDirectory(PersonRepository people, ConsentDecisions decisions, Clock clock,
            @Value("${bridge.people.registration.duplicate-check:true}") boolean duplicateCheck) {
        // On by default (ADR 0007); off only for bulk loads that are known to hold no duplicates.
        return new PeopleDirectory(people, decisions, clock, Ids::next, duplicateCheck);
    }
}
