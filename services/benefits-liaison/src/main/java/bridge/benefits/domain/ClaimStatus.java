package bridge.benefits.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a claim stands. A new claim is {@link #PREPARING} (ID, bank account, appointment booked
 * before release); it moves on as the DWP side handles it.
 */
public enum ClaimStatus {
    PREPARING, SUBMITTED, AWAITING_DECISION, AWARDED, REFUSED, CLOSED;

    /**
     * The statuses a claim may move to from this one. A refusal may go back to awaiting a decision
     * (mandatory reconsideration); a closed claim is final (a new claim is opened instead).
     */
    public Set<ClaimStatus> next() {
        return switch (this) {
            case PREPARING -> EnumSet.of(SUBMITTED, CLOSED);
            case SUBMITTED -> EnumSet.of(AWAITING_DECISION, AWARDED, REFUSED, CLOSED);
            case AWAITING_DECISION -> EnumSet.of(AWARDED, REFUSED, CLOSED);
            case AWARDED -> EnumSet.of(CLOSED);
            case REFUSED -> EnumSet.of(AWAITING_DECISION, CLOSED);
            case CLOSED -> EnumSet.noneOf(ClaimStatus.class);
        };
    }
}
