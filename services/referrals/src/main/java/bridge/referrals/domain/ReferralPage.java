package bridge.referrals.domain;

import java.util.List;

/**
 * One page of the referrals about a person as the caller may see them.
 *
 * @param nextPageToken      empty on the last page
 * @param withheldFromCaller true when referrals between other agencies exist about the person that
 *                           were not returned (the caller learns the category exists, never its content)
 */
public record ReferralPage(List<Referral> referrals, String nextPageToken, boolean withheldFromCaller) {

    public ReferralPage {
        referrals = List.copyOf(referrals);
    }
}
