package bridge.benefits.domain;

import bridge.support.errors.Violations;

/**
 * What a new claim must satisfy. Field paths are the contract's names, relative to the claim
 * ({@code prefix} is where it sits in the request, e.g. "claim").
 */
public final class ClaimRules {

    private ClaimRules() {
    }

    public static void validate(NewClaim c, String prefix, Violations v) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        if (c.benefit() == null) {
            v.add(at + "benefit", "is required");
        }
    }
}
