package bridge.referrals.domain;

/**
 * What a caller supplies to send a referral; validated by {@link ReferralRules}.
 *
 * @param personId        null when the request named no valid person (already reported)
 * @param pathway         null when the request named none
 * @param performerAgency the receiving agency (Keycloak organisation alias)
 * @param reason          why, in the sender's words; may be empty
 * @param details         the pathway's own data (required; checked by {@link PathwayRules})
 * @param plan            the disengagement plan; null for {@link DisengagementPlan#standard()}
 */
public record NewReferral(String personId, Pathway pathway, String performerAgency, String reason,
                         PathwayDetails details, DisengagementPlan plan) {

    public NewReferral(String personId, Pathway pathway, String performerAgency, String reason, PathwayDetails details) {
        this(personId, pathway, performerAgency, reason, details, null);
    }
}
