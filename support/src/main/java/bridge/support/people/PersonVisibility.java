package bridge.support.people;

import bridge.support.errors.NotFoundException;

/**
 * May the current caller know that this person exists? Asked by person-scoped list routes when the
 * caller holds no records of its own about the person: the people directory answers (the agency that
 * registered the person, or an allowing IDENTITY decision). A list about someone the caller may not
 * see is then "not found", exactly like a single record — so no route reveals a person's existence.
 */
public interface PersonVisibility {

    boolean isVisible(String personId);

    /**
     * Before anything is written under a person: an agency that may not see the person cannot attach
     * records (or consents) to them — otherwise any well-formed id would do, and the writer would
     * afterwards "hold something" about someone it was never allowed to know of. The answer is the
     * same "not found" as for an id nobody holds.
     */
    default void requireVisible(String personId) {
        if (!isVisible(personId)) {
            throw new NotFoundException("PERSON_NOT_FOUND", "people/" + personId + " not found");
        }
    }
}
