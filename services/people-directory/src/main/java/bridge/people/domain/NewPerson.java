package bridge.people.domain;

import java.time.LocalDate;
import java.util.List;

/** What a caller supplies to register a person; validated by {@link PersonRules}. */
public record NewPerson(List<Identifier> identifiers, PersonName preferredName, List<PersonName> otherNames,
                        LocalDate dateOfBirth, List<ContactDetail> contactDetails) {

    public NewPerson {
        identifiers = List.copyOf(identifiers);
        otherNames = List.copyOf(otherNames);
        contactDetails = List.copyOf(contactDetails);
    }
}
