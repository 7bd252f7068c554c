package bridge.referrals.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/**
 * One transition of a referral.
 *
 * @param reason null unless the transition needs one
 */
public record HistoryEntry(Transition transition, ReferralStatus previousStatus, ReferralStatus status, Actor actor,
                           Instant at, StatusReason reason) {
}
