package bridge.consent.persistence;

import bridge.consent.domain.DecisionInputs;
import bridge.consent.domain.PersonRecords;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;

/**
 * A decision's inputs: the person's document in {@code consentSubjects}, read by its key — ONE
 * indexed read per decision, never cached (layout: {@link ConsentSubjects}).
 */
public final class MongoDecisionInputs implements DecisionInputs {

    private final ConsentSubjects store;

    public MongoDecisionInputs(MongoDatabase db) {
        this.store = new ConsentSubjects(db);
    }

    @Override
    public PersonRecords forPerson(String personId) {
        Document subject = store.subject(personId);
        if (subject == null) {
            return PersonRecords.NONE;
        }
        return new PersonRecords(MongoConsentRepository.all(subject), MongoLegalBasisRepository.all(subject));
    }
}
