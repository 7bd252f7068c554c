package bridge.support.people;

/**
 * May the current caller know that this person exists? Asked by person-scoped list routes when the
 * caller holds no records of its own about the person: the people directory answers (the agency that
 * registered the person, or an allowing IDENTITY decision). A list about someone the caller may not
 * see is then "not found", exactly like a single record — so no route reveals a person's existence.
 */
public interface PersonVisibility {

    boolean isVisible(String personId);
}
