package bridge.bench.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.Consent;
import bridge.proto.referrals.v1.CustodyTreatment;
import bridge.proto.referrals.v1.Pathway;
import bridge.proto.referrals.v1.Referral;
import com.google.protobuf.util.JsonFormat;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The bodies S3 and the seeding send are read here as the gateway reads them (strict JSON into the
 * contract's messages), so a change to the referrals or consent contract breaks this build, not a
 * benchmark run minutes later.
 */
class CustodyReleaseReferralTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/London"));

    @Test
    void theReferralCarriesTheCustodyReleaseDataItsPathwayRequires() throws Exception {
        Referral.Builder r = Referral.newBuilder();
        JsonFormat.parser().merge(CustodyReleaseReferral.json("people/p1", TODAY.plusWeeks(6), "why \"quoted\" \\ here"), r);

        assertThat(r.getPerson()).isEqualTo("people/p1");
        assertThat(r.getReason()).isEqualTo("why \"quoted\" \\ here");
        assertThat(r.getPathway()).isEqualTo(Pathway.PATHWAY_CUSTODY_RELEASE_TREATMENT);
        assertThat(r.getPerformerAgency()).isEqualTo("forward-leeds");
        assertThat(r.getPathwayDetailsCase().name()).isEqualTo("CUSTODY_RELEASE");
        assertThat(r.getCustodyRelease().getPrison()).isNotBlank();
        assertThat(r.getCustodyRelease().getTreatmentInCustodyList())
                .containsExactly(CustodyTreatment.CUSTODY_TREATMENT_OPIOID_SUBSTITUTION_THERAPY);
        var d = r.getCustodyRelease().getReleaseDate();
        assertThat(LocalDate.of(d.getYear(), d.getMonth(), d.getDay())).isEqualTo(TODAY.plusWeeks(6));
    }

    @Test
    void theReleaseDateIsInsideTheTwelveWeeksWhenPlanningIsOpen() {
        assertThat(CustodyReleaseReferral.releaseDate()).isAfter(TODAY).isBefore(TODAY.plusWeeks(12).minusDays(7));
    }

    @Test
    void theConsentCoversEverythingTheReceiverMustBeAllowedForPurposeReferral() throws Exception {
        Consent.Builder c = Consent.newBuilder();
        JsonFormat.parser().merge(CustodyReleaseReferral.consentJson(), c);

        assertThat(c.getRecipientsList()).singleElement()
                .satisfies(rec -> assertThat(rec.getAgency()).isEqualTo(CustodyReleaseReferral.PERFORMER));
        assertThat(c.getPurposesList()).containsExactly(Purpose.PURPOSE_REFERRAL);
        // what the referrals service asks the receiver's decision to cover, for this pathway
        assertThat(c.getCategoriesList()).containsExactlyInAnyOrderElementsOf(
                bridge.referrals.domain.Pathway.CUSTODY_RELEASE_TREATMENT.sharedCategories().stream()
                        .map(k -> DataCategory.valueOf("DATA_CATEGORY_" + k.name())).toList());
    }
}
