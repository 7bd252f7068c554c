package bridge.housing.domain;

import java.util.EnumSet;
import java.util.Set;

/** Where a duty-to-refer notice stands, from Bridge's side (QUEUED) to the authority's decision. */
public enum NoticeStatus {
    QUEUED, SENT, ACKNOWLEDGED, ASSESSMENT, OUTCOME, UNDELIVERABLE;

    /**
     * Statuses move forward only: a late or repeated report (a poll answered out of order, a
     * redelivery) never takes a notice back. UNDELIVERABLE can follow only QUEUED, and an operator's
     * replay puts it back to QUEUED.
     */
    public Set<NoticeStatus> mayFollow() {
        return switch (this) {
            case QUEUED -> EnumSet.of(UNDELIVERABLE);
            case SENT -> EnumSet.of(QUEUED, UNDELIVERABLE);
            case ACKNOWLEDGED -> EnumSet.of(QUEUED, UNDELIVERABLE, SENT);
            case ASSESSMENT -> EnumSet.of(QUEUED, UNDELIVERABLE, SENT, ACKNOWLEDGED);
            case OUTCOME -> EnumSet.of(QUEUED, UNDELIVERABLE, SENT, ACKNOWLEDGED, ASSESSMENT);
            case UNDELIVERABLE -> EnumSet.of(QUEUED);
        };
    }

    /** Still waiting for the authority's decision: worth asking the authority about. */
    public boolean awaitsAuthority() {
        return this == SENT || this == ACKNOWLEDGED || this == ASSESSMENT;
    }
}
