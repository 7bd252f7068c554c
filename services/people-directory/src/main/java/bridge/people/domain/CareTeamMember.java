package bridge.people.domain;

import bridge.support.identity.AgencyType;
import java.time.Instant;

/** An agency involved with the person, in what role, and the named lead contact there. */
public record CareTeamMember(String agency, AgencyType agencyType, String role, String leadContact, Instant joinedAt) {
}
