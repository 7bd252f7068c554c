package bridge.referrals.domain;

import java.time.Instant;

/** A referral whose timer ran out at {@code due}. */
public record Overdue(Referral referral, ReferralTimer timer, Instant due) {
}
