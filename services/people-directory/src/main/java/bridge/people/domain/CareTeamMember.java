package bridge.people.domain;

import bridge.support.identity.AgencyType;
import java.time.Instant;

/** An agency involved with the person, in what role, since when, and the named lead contact there. */
public record CareTeamMember(String agency, AgencyType agencyType, String role, LeadContact leadContact, Instant joinedAt) {

    public CareTeamMember {
        leadContact = leadContact == null ? LeadContact.NONE : leadContact;
        role = role == null ? "" : role;
    }
}
