package bridge.people.domain;

import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Instant;

/**
 * One change of a care team (an agency joined, left, or changed its entry, or a data steward unlinked
 * its registration from the record), kept for good.
 */
public record CareTeamEvent(String agency, AgencyType agencyType, Kind kind, String role, Instant at, Actor actor,
                            String reason) {

    public enum Kind { JOINED, LEFT, UPDATED, UNLINKED }

    public CareTeamEvent {
        role = role == null ? "" : role;
        reason = reason == null ? "" : reason;
    }
}
