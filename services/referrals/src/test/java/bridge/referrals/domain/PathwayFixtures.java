package bridge.referrals.domain;

import bridge.referrals.domain.PathwayDetails.CourtTreatmentRequirement;
import bridge.referrals.domain.PathwayDetails.CustodyRelease;
import bridge.referrals.domain.PathwayDetails.DrugTestOnArrest;
import bridge.referrals.domain.PathwayDetails.DutyToRefer;
import bridge.referrals.domain.PathwayDetails.LiaisonAndDiversion;
import bridge.referrals.domain.PathwayDetails.PeerNavigator;
import bridge.referrals.domain.PathwayDetails.ReleaseBenefitsClaim;
import java.time.LocalDate;
import java.util.Set;

/** Valid pathway data for tests about something else; dates in the past, so valid whatever the clock says. */
public final class PathwayFixtures {

    public static final LocalDate PAST = LocalDate.of(2020, 1, 6);

    private PathwayFixtures() {
    }

    public static PathwayDetails details(Pathway pathway) {
        return switch (pathway) {
            case DRUG_TEST_ON_ARREST -> new DrugTestOnArrest(PAST, Set.of(PathwayDetails.Substance.OPIATES), PAST.plusDays(7));
            case CUSTODY_RELEASE_TREATMENT -> new CustodyRelease(PAST, "HMP Leeds",
                    Set.of(PathwayDetails.CustodyTreatment.OPIOID_SUBSTITUTION_THERAPY));
            case COURT_TREATMENT_REQUIREMENT -> new CourtTreatmentRequirement(PathwayDetails.TreatmentRequirement.DRR, PAST,
                    PAST.plusMonths(6), "A. Officer", "yorkshire-probation", true);
            case DUTY_TO_REFER -> new DutyToRefer("E08000035", PathwayDetails.HousingCircumstance.THREATENED_WITH_HOMELESSNESS);
            case RELEASE_BENEFITS_CLAIM -> new ReleaseBenefitsClaim(PAST, Set.of(PathwayDetails.Benefit.UNIVERSAL_CREDIT),
                    true, false);
            case PEER_NAVIGATOR -> new PeerNavigator(true, "Someone who has been through it");
            case LIAISON_AND_DIVERSION -> new LiaisonAndDiversion(PathwayDetails.ContactPoint.POLICE_CUSTODY,
                    Set.of(PathwayDetails.PresentingNeed.MENTAL_HEALTH, PathwayDetails.PresentingNeed.ALCOHOL_USE));
        };
    }
}
