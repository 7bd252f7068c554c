package bridge.people.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/**
 * A merge of two records of one person, with both records as they were before it (so that it can be
 * undone) and who did what, when and why (the audit of merges; never deleted).
 */
public record PersonMerge(String id, String survivorId, String mergedId, String reason, Actor mergedBy, Instant mergedAt,
                          Person survivorBefore, Person mergedBefore, long survivorVersionAfter,
                          Actor unmergedBy, Instant unmergedAt, String unmergeReason) {

    public boolean undone() {
        return unmergedAt != null;
    }
}
