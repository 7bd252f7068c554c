package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LegalBasesTest {

    static final Instant NOW = ConsentRulesTest.NOW;
    static final Caller POLICE = new Caller("pc", "met-police", AgencyType.POLICE, Set.of("worker"));
    static final Caller HOUSING = new Caller("ho", "leeds-housing", AgencyType.HOUSING, Set.of("worker"));
    static final Caller DPO = ConsentsTest.DPO;
    static final Caller PLATFORM = ConsentsTest.PLATFORM;
    /** A DPO role held by someone at a partner agency. */
    static final Caller AGENCY_DPO = new Caller("pc-dpo", "met-police", AgencyType.POLICE,
            Set.of(Roles.DATA_PROTECTION_OFFICER));

    final Fakes.LegalBases store = new Fakes.LegalBases();
    final AtomicInteger ids = new AtomicInteger();
    final LegalBases legalBases = new LegalBases(store, Fakes.AGENCIES, Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "lb" + ids.incrementAndGet());

    static NewLegalBasis valid() {
        return new NewLegalBasis(LegalBasisType.SERIOUS_IMMINENT_RISK_TO_LIFE, "met-police",
                List.of(DataCategory.MENTAL_HEALTH, DataCategory.RISK), List.of(Purpose.RISK_MANAGEMENT),
                "Threatened suicide in custody; mental health history needed now.", NOW.plus(Duration.ofDays(3)));
    }

    static List<String> fields(NewLegalBasis b) {
        Violations v = new Violations();
        LegalBasisRules.validate(b, NOW, Fakes.AGENCIES, "legal_basis", v);
        try {
            v.throwIfAny();
            return List.of();
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    static NewLegalBasis with(String agency, String justification, Instant until) {
        NewLegalBasis b = valid();
        return new NewLegalBasis(b.type(), agency, b.categories(), b.purposes(), justification, until);
    }

    @Test
    void rules() {
        assertThat(fields(valid())).isEmpty();
        String j = valid().justification();
        Instant until = valid().validUntil();
        assertThat(fields(new NewLegalBasis(null, "met-police", List.of(DataCategory.RISK), List.of(Purpose.REFERRAL), j,
                until))).containsExactly("legal_basis.type");
        assertThat(fields(with("", j, until))).containsExactly("legal_basis.recipient_agency");
        assertThat(fields(with("no-such-agency", j, until))).containsExactly("legal_basis.recipient_agency");
        assertThat(fields(with("bridge-platform", j, until))).isEmpty();   // exists; the policy denies PLATFORM anyway
        assertThat(fields(with("met-police", "", until))).containsExactly("legal_basis.justification");
        assertThat(fields(with("met-police", "   risk to life      ", until))).containsExactly("legal_basis.justification");
        assertThat(fields(with("met-police", "x".repeat(20), until))).isEmpty();
        assertThat(fields(with("met-police", "x".repeat(19) + "  ", until))).containsExactly("legal_basis.justification");
        assertThat(fields(with("met-police", j, null))).containsExactly("legal_basis.valid_until");
        assertThat(fields(with("met-police", j, NOW))).containsExactly("legal_basis.valid_until");
        assertThat(fields(with("met-police", j, NOW.plus(Duration.ofDays(90))))).isEmpty();
        assertThat(fields(with("met-police", j, NOW.plus(Duration.ofDays(90)).plusMillis(1))))
                .containsExactly("legal_basis.valid_until");
        assertThat(fields(new NewLegalBasis(LegalBasisType.COURT_ORDER, "met-police",
                Arrays.asList(DataCategory.RISK, null), List.of(), j, until)))
                .containsExactly("legal_basis.categories[1]", "legal_basis.purposes");
    }

    @Test
    void anyAgencyButThePlatformRecords() {
        LegalBasis b = legalBases.create(POLICE, "p", valid(), "", new Violations());
        assertThat(b.reviewState()).isEqualTo(ReviewState.PENDING_REVIEW);
        assertThat(b.isActiveAt(NOW)).isTrue();
        assertThatThrownBy(() -> legalBases.create(PLATFORM, "p", valid(), "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> legalBases.create(DPO, "p", valid(), "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void theRecorderAndTheRecipientListThemAndTheDpoSeesAll() {
        LegalBasis forPolice = legalBases.create(HOUSING, "p", valid(), "", new Violations());
        NewLegalBasis v = valid();
        LegalBasis forHousing = legalBases.create(POLICE, "p", new NewLegalBasis(v.type(), "leeds-housing", v.categories(),
                v.purposes(), v.justification(), v.validUntil()), "", new Violations());
        assertThat(legalBases.list(POLICE, "p", new Violations())).containsExactly(forPolice, forHousing);
        Caller probation = new Caller("po", "north-probation", AgencyType.PROBATION, Set.of());
        assertThat(legalBases.list(probation, "p", new Violations())).isEmpty();
        assertThat(legalBases.list(DPO, "p", new Violations())).hasSize(2);
        assertThatThrownBy(() -> legalBases.list(PLATFORM, "p", new Violations())).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void onlyADpoReviewsNeverTheirOwnAndRevokedStaysRevoked() {
        LegalBasis b = legalBases.create(POLICE, "p", valid(), "", new Violations());
        assertThatThrownBy(() -> legalBases.review(POLICE, "p", b.id(), ReviewOutcome.UPHOLD, "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> legalBases.reviews(POLICE, 0, "", new Violations())).isInstanceOf(PermissionDeniedException.class);
        LegalBasis own = legalBases.create(AGENCY_DPO, "p", valid(), "", new Violations());
        assertThatThrownBy(() -> legalBases.review(AGENCY_DPO, "p", own.id(), ReviewOutcome.UPHOLD, "", new Violations()))
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.reason()).isEqualTo("SELF_REVIEW"));
        assertThatThrownBy(() -> legalBases.review(DPO, "other-person", b.id(), ReviewOutcome.UPHOLD, "", new Violations()))
                .isInstanceOf(NotFoundException.class);

        LegalBasis upheld = legalBases.review(DPO, "p", b.id(), ReviewOutcome.UPHOLD, "proportionate", new Violations());
        assertThat(upheld.reviewState()).isEqualTo(ReviewState.UPHELD);
        assertThat(upheld.review().by().subject()).isEqualTo("dpo");
        assertThatThrownBy(() -> legalBases.review(DPO, "p", b.id(), ReviewOutcome.UPHOLD, "", new Violations()))
                .isInstanceOf(FailedPreconditionException.class);
        LegalBasis revoked = legalBases.review(DPO, "p", b.id(), ReviewOutcome.REVOKE, "risk has passed", new Violations());
        assertThat(revoked.isActiveAt(NOW)).isFalse();
        assertThatThrownBy(() -> legalBases.review(DPO, "p", b.id(), ReviewOutcome.UPHOLD, "", new Violations()))
                .isInstanceOfSatisfying(FailedPreconditionException.class,
                        e -> assertThat(e.getMessage()).contains("REVOKED"));
    }

    @Test
    void theReviewQueueIsOldestFirstAndPaged() {
        for (int i = 0; i < 5; i++) {
            legalBases.create(POLICE, "p" + i, valid(), "", new Violations());
        }
        LegalBasisPage first = legalBases.reviews(DPO, 2, "", new Violations());
        assertThat(first.legalBases()).extracting(LegalBasis::personId).containsExactly("p0", "p1");
        LegalBasisPage second = legalBases.reviews(DPO, 2, first.nextPageToken(), new Violations());
        assertThat(second.legalBases()).extracting(LegalBasis::personId).containsExactly("p2", "p3");
        legalBases.review(DPO, "p4", "lb5", ReviewOutcome.REVOKE, "", new Violations());
        LegalBasisPage third = legalBases.reviews(DPO, 2, second.nextPageToken(), new Violations());
        assertThat(third.legalBases()).isEmpty();
        assertThat(third.nextPageToken()).isEmpty();
    }
}
