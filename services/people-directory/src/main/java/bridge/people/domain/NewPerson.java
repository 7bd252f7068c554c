package bridge.people.domain;

import java.time.LocalDate;
import java.util.List;

/** What a caller supplies to register a person; validated by {@link PersonRules}. */
public record NewPerson(List<Identifier> identifiers, PersonName preferredName, List<PersonName> otherNames,
                        LocalDate dateOfBirth, List<ContactDetail> contactDetails, Gender gender) {

    public NewPerson(List<Identifier> identifiers, PersonName preferredName, List<PersonName> otherNames,
                     LocalDate dateOfBirth, List<ContactDetail> contactDetails) {
        this(identifiers, preferredName, otherNames, dateOfBirth, contactDetails, null);
    }

    public NewPerson {
        identifiers = List.copyOf(identifiers);
        otherNames = List.copyOf(otherNames);
        contactDetails = List.copyOf(contactDetails);
    }
}
