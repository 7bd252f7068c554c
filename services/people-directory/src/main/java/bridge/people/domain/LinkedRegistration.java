package bridge.people.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What an agency recorded when its registration was linked to an existing person by an exact strong
 * identifier (ADR 0007). Kept as that agency's own contribution: the agency always sees what it
 * recorded itself, even where it may not see the rest of the record.
 */
public record LinkedRegistration(Actor by, List<Identifier> identifiers, PersonName preferredName,
                                 List<PersonName> otherNames, LocalDate dateOfBirth, List<ContactDetail> contactDetails,
                                 Gender gender, Instant linkedAt) {

    public LinkedRegistration {
        identifiers = List.copyOf(identifiers);
        otherNames = List.copyOf(otherNames);
        contactDetails = List.copyOf(contactDetails);
    }
}
