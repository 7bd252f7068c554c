package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferralRulesTest {

    static final String SENDER = "met-police";

    static NewReferral valid() {
        return new NewReferral("p1", Pathway.DRUG_TEST_ON_ARREST, "forward-leeds", "Tested positive for opiates on arrest.",
                PathwayFixtures.details(Pathway.DRUG_TEST_ON_ARREST));
    }

    static List<String> fields(NewReferral r) {
        Violations v = new Violations();
        ReferralRules.validate(r, SENDER, "referral", v);
        try {
            v.throwIfAny();
            return List.of();
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    @Test
    void aCompleteReferralIsValid() {
        assertThat(fields(valid())).isEmpty();
        assertThat(fields(new NewReferral("p1", Pathway.PEER_NAVIGATOR, "recovery-connections", "", null))).isEmpty();
        assertThat(fields(new NewReferral("p1", Pathway.PEER_NAVIGATOR, "recovery-connections", null, null))).isEmpty();
    }

    @Test
    void needsAPathway() {
        assertThat(fields(new NewReferral("p1", null, "forward-leeds", "", null))).containsExactly("referral.pathway");
    }

    @Test
    void needsAnotherAgencyToPerformIt() {
        assertThat(fields(new NewReferral("p1", Pathway.DUTY_TO_REFER, "", "", null))).containsExactly("referral.performer_agency");
        assertThat(fields(new NewReferral("p1", Pathway.DUTY_TO_REFER, "   ", "", null))).containsExactly("referral.performer_agency");
        assertThat(fields(new NewReferral("p1", Pathway.DUTY_TO_REFER, SENDER, "", null))).containsExactly("referral.performer_agency");
        assertThat(fields(new NewReferral("p1", Pathway.DUTY_TO_REFER, " " + SENDER + " ", "", null)))
                .containsExactly("referral.performer_agency");
        assertThat(fields(new NewReferral("p1", Pathway.DUTY_TO_REFER, "x".repeat(101), "", null)))
                .containsExactly("referral.performer_agency");
    }

    @Test
    void reasonIsAtMost2000Characters() {
        assertThat(fields(new NewReferral("p1", Pathway.DUTY_TO_REFER, "leeds-housing", "😀".repeat(2000), null))).isEmpty();
        assertThat(fields(new NewReferral("p1", Pathway.DUTY_TO_REFER, "leeds-housing", "x".repeat(2001), null)))
                .containsExactly("referral.reason");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(fields(new NewReferral("p1", null, SENDER, "x".repeat(2001), null)))
                .containsExactly("referral.pathway", "referral.performer_agency", "referral.reason");
    }
}
