package bridge.benefits.domain;

/**
 * What a caller supplies to open a claim; validated by {@link ClaimRules}.
 *
 * @param benefit null when the request named none
 */
public record NewClaim(Benefit benefit) {
}
