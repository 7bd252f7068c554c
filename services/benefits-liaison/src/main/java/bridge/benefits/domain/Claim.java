package bridge.benefits.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/**
 * A benefit claim for the person, as the agency preparing it recorded it.
 *
 * @param version 1 when opened; every change adds one (the etag)
 */
public record Claim(String id, String personId, Benefit benefit, ClaimStatus status, Actor recordedBy,
                    Instant createdAt, Instant updatedAt, long version) {
}
