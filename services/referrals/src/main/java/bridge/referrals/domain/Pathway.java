package bridge.referrals.domain;

/** Referral pathways named in the partnership's sources (DESIGN.md "Referral"). */
public enum Pathway {
    /** Drug test on arrest to treatment. */
    DRUG_TEST_ON_ARREST,
    /** Prison release to community treatment (continuity of care, the "pick-up rate"). */
    CUSTODY_RELEASE_TREATMENT,
    /** Court orders with treatment requirements (DRR, ATR) to treatment. */
    COURT_TREATMENT_REQUIREMENT,
    /** Any agency to housing (England's duty to refer). */
    DUTY_TO_REFER,
    /** Release to a benefits claim. */
    RELEASE_BENEFITS_CLAIM,
    /** Any agency to a peer navigator. */
    PEER_NAVIGATOR,
    LIAISON_AND_DIVERSION
}
