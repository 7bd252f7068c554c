package bridge.people.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Someone the partnership supports, as the directory holds them. */
public record Person(String id, List<Identifier> identifiers, PersonName preferredName, List<PersonName> otherNames,
                     LocalDate dateOfBirth, List<ContactDetail> contactDetails, List<CareTeamMember> careTeam,
                     Actor registeredBy, Instant createdAt, Instant updatedAt, long version, Gender gender) {

    /** A person whose gender is not recorded. */
    public Person(String id, List<Identifier> identifiers, PersonName preferredName, List<PersonName> otherNames,
                  LocalDate dateOfBirth, List<ContactDetail> contactDetails, List<CareTeamMember> careTeam,
                  Actor registeredBy, Instant createdAt, Instant updatedAt, long version) {
        this(id, identifiers, preferredName, otherNames, dateOfBirth, contactDetails, careTeam, registeredBy,
                createdAt, updatedAt, version, null);
    }

    public Person {
        identifiers = List.copyOf(identifiers);
        otherNames = List.copyOf(otherNames);
        contactDetails = List.copyOf(contactDetails);
        careTeam = List.copyOf(careTeam);
    }

    public boolean hasCareTeamMember(String agency) {
        return careTeam.stream().anyMatch(m -> m.agency().equals(agency));
    }
}
