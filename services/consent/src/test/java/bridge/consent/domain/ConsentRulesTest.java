package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentRulesTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    static NewConsent valid() {
        return new NewConsent(List.of(Recipient.agency("forward-leeds"), Recipient.agencyType(AgencyType.HOUSING)),
                List.of(DataCategory.SUBSTANCE_USE, DataCategory.HOUSING), List.of(Purpose.DIRECT_SUPPORT),
                null, NOW.plus(Duration.ofDays(365)), ConsentMethod.WRITTEN, "");
    }

    static List<FieldViolation> violations(NewConsent c) {
        Violations v = new Violations();
        ConsentRules.validate(c, NOW, Fakes.AGENCIES, "consent", v);
        if (v.isEmpty()) {
            return List.of();
        }
        try {
            v.throwIfAny();
            throw new AssertionError();
        } catch (InvalidArgumentException e) {
            return e.violations();
        }
    }

    static List<String> fields(NewConsent c) {
        return violations(c).stream().map(FieldViolation::field).toList();
    }

    static NewConsent with(NewConsent c, List<Recipient> r, List<DataCategory> cat, List<Purpose> p) {
        return new NewConsent(r, cat, p, c.validFrom(), c.validUntil(), c.method(), c.capacityNote());
    }

    @Test
    void aCompleteConsentIsValid() {
        assertThat(violations(valid())).isEmpty();
        assertThat(violations(new NewConsent(List.of(Recipient.agency(" met-police ")), List.of(DataCategory.RISK),
                List.of(Purpose.RISK_MANAGEMENT), null, null, ConsentMethod.VERBAL, null))).isEmpty();
    }

    @Test
    void needsARecipientThatNamesSomeone() {
        NewConsent c = valid();
        assertThat(fields(with(c, List.of(), c.categories(), c.purposes()))).containsExactly("consent.recipients");
        assertThat(fields(with(c, List.of(Recipient.agency("leeds-nhs"), Recipient.agency("  ")), c.categories(), c.purposes())))
                .containsExactly("consent.recipients[1].agency");
        assertThat(fields(with(c, List.of(new Recipient(null, null)), c.categories(), c.purposes())))
                .containsExactly("consent.recipients[0]");
        assertThat(fields(with(c, List.of(Recipient.agencyType(AgencyType.PLATFORM)), c.categories(), c.purposes())))
                .containsExactly("consent.recipients[0].agency_type");
        assertThat(fields(with(c, List.of(Recipient.agency("leeds-nhs"), Recipient.agency(" leeds-nhs ")), c.categories(), c.purposes())))
                .containsExactly("consent.recipients[1]");
        assertThat(fields(with(c, List.of(Recipient.agency("x".repeat(101))), c.categories(), c.purposes())))
                .containsExactly("consent.recipients[0].agency");
    }

    @Test
    void aNamedRecipientMustBeAPartnerAgencyButNotThePlatform() {
        NewConsent c = valid();
        List<FieldViolation> unknown = violations(with(c, List.of(Recipient.agency("leeds-nhs"), Recipient.agency("leeds-nhss")),
                c.categories(), c.purposes()));
        assertThat(unknown).extracting(FieldViolation::field).containsExactly("consent.recipients[1].agency");
        assertThat(unknown.getFirst().description()).contains("not a partner agency").contains("leeds-nhss");
        // aliases are exact: case matters, as in Keycloak
        assertThat(fields(with(c, List.of(Recipient.agency("Leeds-NHS")), c.categories(), c.purposes())))
                .containsExactly("consent.recipients[0].agency");
        assertThat(fields(with(c, List.of(Recipient.agency("bridge-platform")), c.categories(), c.purposes())))
                .containsExactly("consent.recipients[0].agency");
    }

    @Test
    void needsCategoriesAndPurposesWithoutUnspecifiedOrDuplicates() {
        NewConsent c = valid();
        assertThat(fields(with(c, c.recipients(), List.of(), c.purposes()))).containsExactly("consent.categories");
        assertThat(fields(with(c, c.recipients(), Arrays.asList(DataCategory.HOUSING, null), c.purposes())))
                .containsExactly("consent.categories[1]");
        assertThat(fields(with(c, c.recipients(), List.of(DataCategory.RISK, DataCategory.RISK), c.purposes())))
                .containsExactly("consent.categories[1]");
        assertThat(fields(with(c, c.recipients(), c.categories(), List.of()))).containsExactly("consent.purposes");
        assertThat(fields(with(c, c.recipients(), c.categories(), Arrays.asList((Purpose) null))))
                .containsExactly("consent.purposes[0]");
    }

    @Test
    void needsAMethod() {
        NewConsent c = valid();
        assertThat(fields(new NewConsent(c.recipients(), c.categories(), c.purposes(), null, null, null, "")))
                .containsExactly("consent.method");
    }

    @Test
    void validityMustEndAfterItStarts() {
        NewConsent c = valid();
        Instant from = NOW.plus(Duration.ofDays(10));
        assertThat(fields(new NewConsent(c.recipients(), c.categories(), c.purposes(), from, from, c.method(), "")))
                .containsExactly("consent.valid_until");
        assertThat(fields(new NewConsent(c.recipients(), c.categories(), c.purposes(), from, from.minusSeconds(1),
                c.method(), ""))).containsExactly("consent.valid_until");
        // valid_from defaults to now: an end in the past is refused
        assertThat(fields(new NewConsent(c.recipients(), c.categories(), c.purposes(), null, NOW.minusSeconds(1),
                c.method(), ""))).containsExactly("consent.valid_until");
        // a consent given earlier (a signed form) may start in the past
        assertThat(fields(new NewConsent(c.recipients(), c.categories(), c.purposes(), NOW.minus(Duration.ofDays(3)),
                NOW.plusSeconds(1), c.method(), ""))).isEmpty();
    }

    @Test
    void capacityNoteIsAtMost1000Characters() {
        NewConsent c = valid();
        assertThat(fields(new NewConsent(c.recipients(), c.categories(), c.purposes(), null, null, c.method(),
                "é".repeat(1000)))).isEmpty();
        assertThat(fields(new NewConsent(c.recipients(), c.categories(), c.purposes(), null, null, c.method(),
                "x".repeat(1001)))).containsExactly("consent.capacity_note");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        NewConsent bad = new NewConsent(List.of(), Arrays.asList((DataCategory) null), List.of(), null,
                NOW.minusSeconds(5), null, "x".repeat(1001));
        assertThat(fields(bad)).containsExactly("consent.recipients", "consent.categories[0]", "consent.purposes",
                "consent.method", "consent.valid_until", "consent.capacity_note");
    }

    @Test
    void expiryIsComputedWhenRead() {
        Consent c = new Consent("id", "p", List.of(Recipient.agency("a")), List.of(DataCategory.HOUSING),
                List.of(Purpose.REFERRAL), NOW, NOW.plusSeconds(60), ConsentMethod.DIGITAL, "", ConsentState.ACTIVE,
                new bridge.support.identity.Actor("s", "a", AgencyType.HOUSING), NOW, 1, null, null, null);
        assertThat(c.asOf(NOW.minusMillis(1)).state()).isEqualTo(ConsentState.NOT_YET_VALID);
        assertThat(c.asOf(NOW).state()).isEqualTo(ConsentState.ACTIVE);
        assertThat(c.asOf(NOW.plusSeconds(59)).state()).isEqualTo(ConsentState.ACTIVE);
        assertThat(c.asOf(NOW.plusSeconds(60)).state()).isEqualTo(ConsentState.EXPIRED);
        assertThat(c.withState(ConsentState.WITHDRAWN).asOf(NOW.plusSeconds(1)).state()).isEqualTo(ConsentState.WITHDRAWN);
        assertThat(c.withState(ConsentState.SUPERSEDED).asOf(NOW.plusSeconds(1)).state()).isEqualTo(ConsentState.SUPERSEDED);
        assertThat(c.isInForceAt(NOW.plusSeconds(1))).isTrue();
        assertThat(c.withState(ConsentState.SUPERSEDED).isInForceAt(NOW.plusSeconds(1))).isFalse();
        assertThat(c.updatedAt()).isEqualTo(NOW);
        assertThat(c.updatedBy()).isEqualTo(c.recordedBy());
    }
}
