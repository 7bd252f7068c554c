package bridge.benefits.domain;

import java.time.Instant;

/** A position in a list of claims ordered newest first, then by id: the last claim already seen. */
public record ClaimCursor(Instant createdAt, String id) {
}
