package bridge.consent.domain;

/**
 * Reads what a decision needs about a person, fresh for every request (port; implemented in
 * persistence as ONE read of one document by its key). Nothing here is cached: a withdrawal or a
 * revocation stored before a request is seen by that request.
 */
public interface DecisionInputs {

    /** The person's current consents and legal bases; {@link PersonRecords#NONE} for a person with none. */
    PersonRecords forPerson(String personId);
}
