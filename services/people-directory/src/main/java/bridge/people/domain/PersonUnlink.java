package bridge.people.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/**
 * A data steward split an agency's linked registration off a record into the agency's own record
 * (ADR 0007): which record, which agency, the new record, who, when and why. The audit of unlinks,
 * never deleted; it names records and agencies only, no personal data.
 */
public record PersonUnlink(String id, String personId, String unlinkedPersonId, String agency, String reason,
                           Actor unlinkedBy, Instant unlinkedAt) {
}
