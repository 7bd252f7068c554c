package bridge.referrals.domain;

import java.time.Instant;
import java.util.List;

/**
 * What happens when the person stops coming: after {@code missedInARow} missed appointments in a
 * row (an attended one resets the count) the {@code steps} are raised, and recorded as done when done.
 */
public record DisengagementPlan(int missedInARow, List<Step> steps) {

    public static final int MAX_MISSED_IN_A_ROW = 10;

    public DisengagementPlan {
        // may hold nulls (unrecognised values) until EngagementRules reported them
        steps = steps == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(steps));
    }

    /** The partnership's default until a pathway or referral says otherwise: two misses, then everything. */
    public static DisengagementPlan standard() {
        return new DisengagementPlan(2, List.of(Step.OUTREACH, Step.PEER_NAVIGATOR, Step.NOTIFY_REFERRER));
    }

    public enum Step {
        /** The receiving agency reaches out (call, visit, letter). */
        OUTREACH,
        /** A peer navigator is asked to help. */
        PEER_NAVIGATOR,
        /** The referring agency is told. */
        NOTIFY_REFERRER
    }

    /**
     * One raised step; {@code doneAt}, {@code doneBy} and {@code note} are null until it was done.
     */
    public record Raised(Step step, Instant raisedAt, Instant doneAt, bridge.support.identity.Actor doneBy, String note) {
        public boolean isDone() {
            return doneAt != null;
        }
    }
}
