package bridge.referrals.domain;

import bridge.support.consent.DataCategory;
import java.util.EnumSet;
import java.util.Set;

/**
 * Referral pathways named in the partnership's sources (DESIGN.md "Referral"), each with the data
 * categories its referral carries to the receiving agency: the receiver sees them, and acts on the
 * referral, only under an allowing decision for purpose REFERRAL covering every one of them.
 */
public enum Pathway {
    /** Drug test on arrest to treatment: a positive test (substances) and the offence context. */
    DRUG_TEST_ON_ARREST(DataCategory.SUBSTANCE_USE, DataCategory.JUSTICE),
    /** Prison release to community treatment (continuity of care, the "pick-up rate"). */
    CUSTODY_RELEASE_TREATMENT(DataCategory.SUBSTANCE_USE, DataCategory.JUSTICE),
    /** Court orders with treatment requirements (DRR, ATR) to treatment. */
    COURT_TREATMENT_REQUIREMENT(DataCategory.SUBSTANCE_USE, DataCategory.JUSTICE),
    /** Any agency to housing (England's duty to refer). */
    DUTY_TO_REFER(DataCategory.HOUSING),
    /** Release to a benefits claim. */
    RELEASE_BENEFITS_CLAIM(DataCategory.BENEFITS, DataCategory.JUSTICE),
    /** Any agency to a peer navigator: voluntary, the referral says only that support is wanted. */
    PEER_NAVIGATOR(),
    /** Liaison and diversion: mental health and co-occurring substance use at police custody or court. */
    LIAISON_AND_DIVERSION(DataCategory.MENTAL_HEALTH, DataCategory.SUBSTANCE_USE);

    private final Set<DataCategory> shared;

    Pathway(DataCategory... carried) {
        Set<DataCategory> s = EnumSet.of(DataCategory.REFERRALS);
        s.addAll(java.util.List.of(carried));
        this.shared = java.util.Collections.unmodifiableSet(s);
    }

    /** Whether a referral on this pathway is handed over to a liaison service when it is sent. */
    public boolean isHandedOver() {
        return this == DUTY_TO_REFER || this == RELEASE_BENEFITS_CLAIM;
    }

    /** What a referral on this pathway shares with the receiving agency: REFERRALS and the pathway's categories. */
    public Set<DataCategory> sharedCategories() {
        return shared;
    }
}
