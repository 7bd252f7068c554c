package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.UnavailableException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecisionsTest {

    static final Instant NOW = ConsentRulesTest.NOW;
    static final Caller HOUSING = new Caller("ho", "leeds-housing", AgencyType.HOUSING, Set.of("worker"));
    static final Caller TREATMENT = ConsentsTest.TREATMENT;

    final Fakes.Consents consentStore = new Fakes.Consents();
    final Fakes.LegalBases legalBasisStore = new Fakes.LegalBases();
    final Fakes.Audit audit = new Fakes.Audit();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final AtomicInteger ids = new AtomicInteger();
    final Consents consents = new Consents(consentStore, Fakes.AGENCIES, clock, () -> "c" + ids.incrementAndGet());
    final Fakes.Inputs inputs = new Fakes.Inputs(consentStore, legalBasisStore);
    final Decisions decisions = new Decisions(inputs, audit, clock);

    static List<String> fields(Runnable r) {
        try {
            r.run();
            throw new AssertionError("no violation");
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    @Test
    void badRequestsNameTheFieldAndAreNotRecorded() {
        assertThat(fields(() -> decisions.decide(HOUSING, "p", null, null, "r", new Violations())))
                .containsExactly("category", "purpose");
        assertThat(fields(() -> decisions.decideBatch(HOUSING, "p", List.of(), Purpose.REFERRAL, "r", new Violations())))
                .containsExactly("categories");
        assertThat(fields(() -> decisions.decideBatch(HOUSING, "p",
                Arrays.asList(DataCategory.RISK, DataCategory.HOUSING, null, DataCategory.RISK), Purpose.REFERRAL, "r",
                new Violations()))).containsExactly("categories[2]", "categories[3]");
        List<DataCategory> thirteen = new ArrayList<>(Arrays.asList(DataCategory.values()));
        thirteen.add(DataCategory.RISK);
        assertThat(fields(() -> decisions.decideBatch(HOUSING, "p", thirteen, Purpose.REFERRAL, "r", new Violations())))
                .containsExactly("categories");
        assertThat(audit.entries).isEmpty();
        // all twelve at once is fine
        assertThat(decisions.decideBatch(HOUSING, "p", Arrays.asList(DataCategory.values()), Purpose.REFERRAL, "r",
                new Violations())).hasSize(12);
        assertThat(audit.entries).hasSize(1);
    }

    @Test
    void everyCallIsOneAuditEntryAllowOrDeny() {
        consents.record(TREATMENT, "p", ConsentRulesTest.valid(), "");   // HOUSING type may see SUBSTANCE_USE, HOUSING
        Decision denied = decisions.decide(HOUSING, "p", DataCategory.RISK, Purpose.DIRECT_SUPPORT, "r1", new Violations());
        List<Decision> batch = decisions.decideBatch(HOUSING, "p", List.of(DataCategory.HOUSING, DataCategory.FAMILY),
                Purpose.DIRECT_SUPPORT, "r2", new Violations());
        assertThat(denied.allowed()).isFalse();
        assertThat(batch).extracting(Decision::allowed).containsExactly(true, false);
        assertThat(audit.entries).hasSize(2);
        AuditEvent first = audit.entries.get(0).event();
        assertThat(first.actor().agency()).isEqualTo("leeds-housing");
        assertThat(first.actor().subject()).isEqualTo("ho");
        assertThat(first.actor().agencyType()).isEqualTo(AgencyType.HOUSING);
        assertThat(first.personId()).isEqualTo("p");
        assertThat(first.purpose()).isEqualTo(Purpose.DIRECT_SUPPORT);
        assertThat(first.decisions()).containsExactly(denied);
        assertThat(first.requestId()).isEqualTo("r1");
        assertThat(first.time()).isEqualTo(NOW);
        assertThat(audit.entries.get(1).event().decisions()).isEqualTo(batch);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void readsTheRecordsAfreshForEveryDecision() {
        Consent c = consents.record(TREATMENT, "p", ConsentRulesTest.valid(), "");
        assertThat(decisions.decide(HOUSING, "p", DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, "", new Violations())
                .allowed()).isTrue();
        consents.withdraw(TREATMENT, "p", c.id(), "changed their mind", "", new Violations());
        assertThat(decisions.decide(HOUSING, "p", DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, "", new Violations())
                .allowed()).isFalse();
        assertThat(inputs.reads).isEqualTo(2);
    }

    @Test
    void failsClosedWhenTheAuditTrailCannotBeWritten() {
        consents.record(TREATMENT, "p", ConsentRulesTest.valid(), "");
        audit.failWith = new IllegalStateException("disk full");
        assertThatThrownBy(() -> decisions.decide(HOUSING, "p", DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, "",
                new Violations())).isInstanceOfSatisfying(UnavailableException.class,
                e -> assertThat(e.reason()).isEqualTo("AUDIT_UNAVAILABLE"));
        audit.failWith = new UnavailableException("AUDIT_UNAVAILABLE", "down");
        assertThatThrownBy(() -> decisions.decideBatch(HOUSING, "p", List.of(DataCategory.HOUSING), Purpose.DIRECT_SUPPORT,
                "", new Violations())).isInstanceOf(UnavailableException.class);
    }

    @Test
    void failsClosedWhenTheConsentsCannotBeRead() {
        DecisionInputs broken = personId -> {
            throw new IllegalStateException("connection refused");
        };
        Decisions d = new Decisions(broken, audit, clock);
        assertThatThrownBy(() -> d.decide(HOUSING, "p", DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, "", new Violations()))
                .isInstanceOfSatisfying(UnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo("DECISION_UNAVAILABLE"));
        assertThat(audit.entries).isEmpty();
    }
}
