package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.referrals.domain.PathwayDetails.CourtTreatmentRequirement;
import bridge.referrals.domain.PathwayDetails.CustodyRelease;
import bridge.referrals.domain.PathwayDetails.DrugTestOnArrest;
import bridge.referrals.domain.PathwayDetails.DutyToRefer;
import bridge.referrals.domain.PathwayDetails.LiaisonAndDiversion;
import bridge.referrals.domain.PathwayDetails.PeerNavigator;
import bridge.referrals.domain.PathwayDetails.ReleaseBenefitsClaim;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.time.MutableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each pathway's data, checked field by field; custody release planning opens 12 weeks before release. */
class PathwayRulesTest {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 2);

    static List<String> fields(Pathway pathway, PathwayDetails details) {
        Violations v = new Violations();
        PathwayRules.validate(pathway, details, TODAY, "referral.", v);
        try {
            v.throwIfAny();
            return List.of();
        } catch (bridge.support.errors.InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Pathway.class)
    void everyPathwayHasValidDataAndRequiresIt(Pathway pathway) {
        assertThat(fields(pathway, PathwayFixtures.details(pathway))).isEmpty();
        assertThat(fields(pathway, null)).containsExactly("referral." + PathwayRules.field(pathway));
    }

    @Test
    void dataOfAnotherPathwayIsNamed() {
        assertThat(fields(Pathway.CUSTODY_RELEASE_TREATMENT, PathwayFixtures.details(Pathway.DUTY_TO_REFER)))
                .containsExactly("referral.duty_to_refer");
    }

    @Test
    void drugTestOnArrest() {
        assertThat(fields(Pathway.DRUG_TEST_ON_ARREST, new DrugTestOnArrest(null, Set.of(), null))).containsExactly(
                "referral.drug_test_on_arrest.test_date", "referral.drug_test_on_arrest.substances",
                "referral.drug_test_on_arrest.required_assessment_date");
        assertThat(fields(Pathway.DRUG_TEST_ON_ARREST, new DrugTestOnArrest(TODAY.plusDays(1),
                Set.of(PathwayDetails.Substance.COCAINE), TODAY.plusDays(3))))
                .containsExactly("referral.drug_test_on_arrest.test_date");
        assertThat(fields(Pathway.DRUG_TEST_ON_ARREST, new DrugTestOnArrest(TODAY,
                Set.of(PathwayDetails.Substance.COCAINE), TODAY.minusDays(1))))
                .containsExactly("referral.drug_test_on_arrest.required_assessment_date");
    }

    @Test
    void custodyRelease() {
        assertThat(fields(Pathway.CUSTODY_RELEASE_TREATMENT, new CustodyRelease(null, " ", Set.of()))).containsExactly(
                "referral.custody_release.release_date", "referral.custody_release.prison",
                "referral.custody_release.treatment_in_custody");
        assertThat(fields(Pathway.CUSTODY_RELEASE_TREATMENT, new CustodyRelease(TODAY, "x".repeat(201),
                Set.of(PathwayDetails.CustodyTreatment.PSYCHOSOCIAL)))).containsExactly("referral.custody_release.prison");
    }

    @Test
    void planningOpensTwelveWeeksBeforeReleaseAndEarlierIsRefused() {
        CustodyRelease atTwelveWeeks = new CustodyRelease(TODAY.plusWeeks(12), "HMP Leeds",
                Set.of(PathwayDetails.CustodyTreatment.PSYCHOSOCIAL));
        PathwayRules.checkTiming(atTwelveWeeks, TODAY);
        CustodyRelease dayLater = new CustodyRelease(TODAY.plusWeeks(12).plusDays(1), "HMP Leeds",
                Set.of(PathwayDetails.CustodyTreatment.PSYCHOSOCIAL));
        assertThatThrownBy(() -> PathwayRules.checkTiming(dayLater, TODAY))
                .isInstanceOf(FailedPreconditionException.class)
                .hasMessageContaining("referral.custody_release.release_date")
                .hasMessageContaining("opens 12 weeks before, on " + TODAY.plusDays(1))
                .extracting(e -> ((FailedPreconditionException) e).reason()).isEqualTo("RELEASE_PLANNING_NOT_OPEN");
    }

    @Test
    void theTwelveWeekRuleIsCheckedOnSendingAndNothingIsWritten() {
        ReferralsTest.InMemoryReferrals store = new ReferralsTest.InMemoryReferrals();
        MutableClock clock = new MutableClock(ReferralsTest.NOW);
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        Referrals referrals = new Referrals(store, (p, c, u) -> bridge.support.consent.Decisions.allowAll(), p -> true,
                clock, () -> "r" + store.byKey.size());
        Caller prison = new Caller("rp-1", "hmp-leeds", AgencyType.PRISON, Set.of("worker"));
        NewReferral early = new NewReferral("p1", Pathway.CUSTODY_RELEASE_TREATMENT, "forward-leeds", "",
                new CustodyRelease(LocalDate.of(2026, 5, 26), "HMP Leeds", Set.of(PathwayDetails.CustodyTreatment.PSYCHOSOCIAL)));
        assertThatThrownBy(() -> referrals.send(prison, early, "k1")).isInstanceOf(FailedPreconditionException.class);
        assertThat(store.byKey).isEmpty();
        clock.set(Instant.parse("2026-03-03T09:00:00Z"));
        assertThat(referrals.send(prison, early, "k1").details()).isEqualTo(early.details());
    }

    @Test
    void courtTreatmentRequirement() {
        assertThat(fields(Pathway.COURT_TREATMENT_REQUIREMENT, new CourtTreatmentRequirement(null, null, null, "", null, false)))
                .containsExactly("referral.court_treatment_requirement.requirement",
                        "referral.court_treatment_requirement.order_start_date",
                        "referral.court_treatment_requirement.order_end_date",
                        "referral.court_treatment_requirement.responsible_officer",
                        "referral.court_treatment_requirement.probation_agency");
        assertThat(fields(Pathway.COURT_TREATMENT_REQUIREMENT, new CourtTreatmentRequirement(
                PathwayDetails.TreatmentRequirement.ATR, TODAY, TODAY, "A. Officer", "yorkshire-probation", false)))
                .containsExactly("referral.court_treatment_requirement.order_end_date");
    }

    @Test
    void dutyToRefer() {
        assertThat(fields(Pathway.DUTY_TO_REFER, new DutyToRefer("Leeds", null))).containsExactly(
                "referral.duty_to_refer.local_housing_authority", "referral.duty_to_refer.circumstance");
    }

    @Test
    void releaseBenefitsClaim() {
        assertThat(fields(Pathway.RELEASE_BENEFITS_CLAIM, new ReleaseBenefitsClaim(null, Set.of(), false, false)))
                .containsExactly("referral.release_benefits_claim.release_date", "referral.release_benefits_claim.benefits");
    }

    @Test
    void aPeerNavigatorIsVoluntary() {
        assertThat(fields(Pathway.PEER_NAVIGATOR, new PeerNavigator(false, ""))).containsExactly(
                "referral.peer_navigator.person_agreed");
        assertThat(fields(Pathway.PEER_NAVIGATOR, new PeerNavigator(true, "x".repeat(2001)))).containsExactly(
                "referral.peer_navigator.support_wanted");
    }

    @Test
    void liaisonAndDiversionNamesCoOccurringNeeds() {
        assertThat(fields(Pathway.LIAISON_AND_DIVERSION, new LiaisonAndDiversion(null, Set.of()))).containsExactly(
                "referral.liaison_and_diversion.contact_point", "referral.liaison_and_diversion.needs");
        assertThat(new LiaisonAndDiversion(PathwayDetails.ContactPoint.COURT,
                Set.of(PathwayDetails.PresentingNeed.MENTAL_HEALTH, PathwayDetails.PresentingNeed.DRUG_USE)).coOccurring()).isTrue();
        assertThat(new LiaisonAndDiversion(PathwayDetails.ContactPoint.COURT,
                Set.of(PathwayDetails.PresentingNeed.MENTAL_HEALTH)).coOccurring()).isFalse();
    }
}
