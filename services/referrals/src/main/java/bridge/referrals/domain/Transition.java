package bridge.referrals.domain;

import static bridge.referrals.domain.ReferralStatus.ACCEPTED;
import static bridge.referrals.domain.ReferralStatus.CANCELLED;
import static bridge.referrals.domain.ReferralStatus.COMPLETED;
import static bridge.referrals.domain.ReferralStatus.DRAFT;
import static bridge.referrals.domain.ReferralStatus.FAILED;
import static bridge.referrals.domain.ReferralStatus.IN_PROGRESS;
import static bridge.referrals.domain.ReferralStatus.ON_HOLD;
import static bridge.referrals.domain.ReferralStatus.RECEIVED;
import static bridge.referrals.domain.ReferralStatus.REJECTED;
import static bridge.referrals.domain.ReferralStatus.REQUESTED;

import java.util.EnumSet;
import java.util.Set;

/**
 * The referral lifecycle as one table: each transition names the party that may make it, the
 * statuses it may start from, the status it leads to, and whether it needs a reason. Anything not
 * in this table is illegal. Sending (creation, to {@link ReferralStatus#REQUESTED}) is not a
 * transition: it is {@link Referrals#send}.
 *
 * <pre>
 * transition   party     from                                                    to           reason
 * acknowledge  RECEIVER  requested                                               received     -
 * accept       RECEIVER  requested, received                                     accepted     -
 * reject       RECEIVER  requested, received                                     rejected     needed
 * start        RECEIVER  accepted                                                in-progress  -
 * hold         RECEIVER  accepted, in-progress                                   on-hold      needed
 * resume       RECEIVER  on-hold                                                 in-progress  -
 * complete     RECEIVER  in-progress                                             completed    -
 * fail         RECEIVER  accepted, in-progress, on-hold                          failed       needed
 * cancel       SENDER    draft, requested, received, accepted, in-progress, on-hold  cancelled  needed
 * </pre>
 */
public enum Transition {
    ACKNOWLEDGE(Party.RECEIVER, EnumSet.of(REQUESTED), RECEIVED, false),
    ACCEPT(Party.RECEIVER, EnumSet.of(REQUESTED, RECEIVED), ACCEPTED, false),
    REJECT(Party.RECEIVER, EnumSet.of(REQUESTED, RECEIVED), REJECTED, true),
    START(Party.RECEIVER, EnumSet.of(ACCEPTED), IN_PROGRESS, false),
    HOLD(Party.RECEIVER, EnumSet.of(ACCEPTED, IN_PROGRESS), ON_HOLD, true),
    RESUME(Party.RECEIVER, EnumSet.of(ON_HOLD), IN_PROGRESS, false),
    COMPLETE(Party.RECEIVER, EnumSet.of(IN_PROGRESS), COMPLETED, false),
    FAIL(Party.RECEIVER, EnumSet.of(ACCEPTED, IN_PROGRESS, ON_HOLD), FAILED, true),
    CANCEL(Party.SENDER, EnumSet.of(DRAFT, REQUESTED, RECEIVED, ACCEPTED, IN_PROGRESS, ON_HOLD), CANCELLED, true);

    /** Which end of a referral may make a transition. */
    public enum Party {
        /** The requester's agency. */
        SENDER,
        /** The performer agency. */
        RECEIVER
    }

    private final Party party;
    private final Set<ReferralStatus> from;
    private final ReferralStatus to;
    private final boolean needsReason;

    Transition(Party party, Set<ReferralStatus> from, ReferralStatus to, boolean needsReason) {
        this.party = party;
        this.from = from;
        this.to = to;
        this.needsReason = needsReason;
    }

    public Party party() {
        return party;
    }

    public boolean isAllowedFrom(ReferralStatus status) {
        return from.contains(status);
    }

    public ReferralStatus to() {
        return to;
    }

    public boolean needsReason() {
        return needsReason;
    }

    /** The verb of the custom method, e.g. {@code acknowledge}. */
    public String verb() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
