package bridge.people.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Someone the partnership supports, as the directory holds them.
 *
 * @param links           registrations of other agencies linked to this person by a strong identifier
 * @param careTeamHistory every join, leave and change of the care team, oldest first
 * @param mergedInto      the survivor's id when this record was merged away, else null
 */
public record Person(String id, List<Identifier> identifiers, PersonName preferredName, List<PersonName> otherNames,
                     LocalDate dateOfBirth, List<ContactDetail> contactDetails, List<CareTeamMember> careTeam,
                     Actor registeredBy, Instant createdAt, Instant updatedAt, long version, Gender gender,
                     List<LinkedRegistration> links, List<CareTeamEvent> careTeamHistory, String mergedInto) {

    /** A person as registered: no links, no history beyond what is given, not merged. */
    public Person(String id, List<Identifier> identifiers, PersonName preferredName, List<PersonName> otherNames,
                  LocalDate dateOfBirth, List<ContactDetail> contactDetails, List<CareTeamMember> careTeam,
                  Actor registeredBy, Instant createdAt, Instant updatedAt, long version, Gender gender) {
        this(id, identifiers, preferredName, otherNames, dateOfBirth, contactDetails, careTeam, registeredBy,
                createdAt, updatedAt, version, gender, List.of(), List.of(), null);
    }

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
        links = List.copyOf(links);
        careTeamHistory = List.copyOf(careTeamHistory);
    }

    public boolean hasCareTeamMember(String agency) {
        return careTeam.stream().anyMatch(m -> m.agency().equals(agency));
    }

    public Optional<CareTeamMember> careTeamMember(String agency) {
        return careTeam.stream().filter(m -> m.agency().equals(agency)).findFirst();
    }

    public Optional<LinkedRegistration> linkOf(String agency) {
        return links.stream().filter(l -> l.by().agency().equals(agency)).findFirst();
    }

    public boolean registeredBy(String agency) {
        return registeredBy.agency().equals(agency);
    }

    /** This record as it was, stored again as the version after {@code current} (restoring after an unmerge). */
    public Person restoredOver(long current, Instant at) {
        return new Person(id, identifiers, preferredName, otherNames, dateOfBirth, contactDetails, careTeam,
                registeredBy, createdAt, at, current + 1, gender, links, careTeamHistory, null);
    }

    /** The next version of this record, merged away into the survivor. */
    public Person mergedAway(String survivorId, Instant at) {
        return new Person(id, identifiers, preferredName, otherNames, dateOfBirth, contactDetails, careTeam,
                registeredBy, createdAt, at, version + 1, gender, links, careTeamHistory, survivorId);
    }

    /** The next version of this record with care team, history and links replaced. */
    public Person with(List<CareTeamMember> team, List<CareTeamEvent> history, List<LinkedRegistration> newLinks,
                       List<Identifier> newIdentifiers, Instant at) {
        return new Person(id, newIdentifiers, preferredName, otherNames, dateOfBirth, contactDetails, team,
                registeredBy, createdAt, at, version + 1, gender, newLinks, history, mergedInto);
    }
}
