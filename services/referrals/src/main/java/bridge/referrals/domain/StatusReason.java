package bridge.referrals.domain;

/**
 * Why a referral was rejected, put on hold, failed or cancelled.
 *
 * @param code null when the request named none (reported as a violation)
 * @param text free text, at most 2000 characters; required for {@link StatusReasonCode#OTHER}
 */
public record StatusReason(StatusReasonCode code, String text) {

    public StatusReason {
        text = text == null ? "" : text;
    }
}
