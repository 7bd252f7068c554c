package bridge.consent.domain;

import bridge.support.consent.DataCategory;

/**
 * The answer for one category: allowed or not, and on what basis — the consent version or the legal
 * basis that allows, or the reason for denying. Exactly one of {@code consentId},
 * {@code legalBasisId} and {@code denyReason} is set.
 *
 * @param consentVersion the allowing consent's version, else 0
 */
public record Decision(DataCategory category, boolean allowed, String consentId, long consentVersion,
                       String legalBasisId, DenyReason denyReason) {

    public static Decision byConsent(DataCategory category, Consent consent) {
        return new Decision(category, true, consent.id(), consent.version(), null, null);
    }

    public static Decision byLegalBasis(DataCategory category, LegalBasis legalBasis) {
        return new Decision(category, true, null, 0, legalBasis.id(), null);
    }

    public static Decision deny(DataCategory category, DenyReason reason) {
        return new Decision(category, false, null, 0, null, reason);
    }
}
