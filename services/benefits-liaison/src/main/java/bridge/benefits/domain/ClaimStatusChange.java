package bridge.benefits.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/**
 * One entry of a claim's status history: what it became, when, who recorded it and why.
 *
 * @param note free text from whoever recorded it (e.g. "UC50 sent"); empty when none
 */
public record ClaimStatusChange(ClaimStatus status, Instant at, Actor changedBy, String note) {

    public ClaimStatusChange {
        note = note == null ? "" : note;
    }
}
