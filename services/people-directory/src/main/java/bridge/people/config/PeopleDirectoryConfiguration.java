package bridge.people.config;

import bridge.people.domain.PeopleDirectory;
import bridge.people.domain.PersonRepository;
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
    PeopleDirectory peopleDirectory(PersonRepository people, ConsentDecisions decisions, Clock clock,
            @Value("${bridge.people.registration.duplicate-check:false}") boolean duplicateCheck) {
        // Off by default for now: the end-to-end suite registers the same person repeatedly and would
        // need confirmNewPerson first (see PeopleDirectory#register).
        return new PeopleDirectory(people, decisions, clock, Ids::next, duplicateCheck);
    }
}
