package bridge.consent.domain;

import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import java.time.Instant;
import java.util.List;

/**
 * What the audit trail records about one Decide/BatchDecide: who asked (subject, agency, agency
 * type), about whom, for what purpose, each category's decision and basis, when, under which request
 * id. It holds no personal data beyond the person's opaque id.
 *
 * @param time millisecond precision (what is stored is what is hashed)
 */
public record AuditEvent(Instant time, Actor actor, String personId, Purpose purpose, List<Decision> decisions,
                         String requestId) {

    public AuditEvent {
        decisions = List.copyOf(decisions);
        requestId = requestId == null ? "" : requestId;
    }
}
