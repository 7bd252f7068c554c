package bridge.referrals.domain;

import java.time.Instant;

/** A position in a list of referrals ordered newest first, then by id: the last referral already seen. */
public record ReferralCursor(Instant createdAt, String id) {
}
