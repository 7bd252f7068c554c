package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The registry against in-memory storage: paging, idempotency, versions, who may do what. */
class ConsentsTest {

    static final Instant NOW = ConsentRulesTest.NOW;
    static final Caller TREATMENT = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller TREATMENT_2 = new Caller("kw-2", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller HOUSING = new Caller("ho", "leeds-housing", AgencyType.HOUSING, Set.of("worker"));
    static final Caller POLICE = new Caller("pc", "met-police", AgencyType.POLICE, Set.of("worker"));
    static final Caller PLATFORM = new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of("platform-operator"));
    static final Caller DPO = new Caller("dpo", "bridge-platform", AgencyType.PLATFORM, Set.of(Roles.DATA_PROTECTION_OFFICER));

    final Fakes.Consents repository = new Fakes.Consents();
    final AtomicInteger seq = new AtomicInteger();
    final Consents consents = new Consents(repository, Fakes.AGENCIES, Clock.fixed(NOW, ZoneOffset.UTC),
            () -> String.format("id%018d", seq.incrementAndGet()));

    static List<String> fields(Runnable r) {
        try {
            r.run();
            throw new AssertionError("no violation");
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    static ConsentAmendment amendment(Consent current, List<String> mask, NewConsent values) {
        return new ConsentAmendment(mask, values, current.etag());
    }

    static NewConsent only(List<DataCategory> categories) {
        return new NewConsent(List.of(), categories, List.of(), null, null, null, null);
    }

    @Test
    void recordsAnActiveVersionOneConsentDefaultingValidFromToNow() {
        Consent c = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        assertThat(c.state()).isEqualTo(ConsentState.ACTIVE);
        assertThat(c.validFrom()).isEqualTo(NOW);
        assertThat(c.createdAt()).isEqualTo(NOW);
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.etag()).isEqualTo("v1");
        assertThat(c.recordedBy().agency()).isEqualTo("forward-leeds");
        assertThat(c.updatedBy()).isEqualTo(c.recordedBy());
    }

    @Test
    void aRetryReturnsTheFirstConsentButNotAcrossPeople() {
        Consent first = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "k1");
        assertThat(consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "k1").id()).isEqualTo(first.id());
        assertThat(fields(() -> consents.record(TREATMENT, "p2", ConsentRulesTest.valid(), "k1")))
                .containsExactly("request_id");
        assertThat(fields(() -> consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "k".repeat(129))))
                .containsExactly("request_id");
    }

    @Test
    void platformOperatorsAreRefusedButTheDpoRoleOpensReading() {
        Consent c = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        assertThatThrownBy(() -> consents.record(PLATFORM, "p1", ConsentRulesTest.valid(), ""))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> consents.record(DPO, "p1", ConsentRulesTest.valid(), ""))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> consents.list(PLATFORM, "p1", 0, "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        // refused before looking: the same answer for a consent that does not exist
        assertThatThrownBy(() -> consents.get(PLATFORM, "p1", c.id(), new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> consents.get(PLATFORM, "p1", "nope", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(consents.get(DPO, "p1", c.id(), new Violations()).id()).isEqualTo(c.id());
        assertThat(consents.list(DPO, "p1", 0, "", new Violations()).consents()).hasSize(1);
    }

    @Test
    void pageSizeDefaultsCapsAndRefusesNegatives() {
        Violations v = new Violations();
        assertThat(Consents.pageSize(0, v)).isEqualTo(20);
        assertThat(Consents.pageSize(7, v)).isEqualTo(7);
        assertThat(Consents.pageSize(100, v)).isEqualTo(100);
        assertThat(Consents.pageSize(1000, v)).isEqualTo(100);
        assertThat(v.isEmpty()).isTrue();
        assertThat(fields(() -> consents.list(TREATMENT, "p1", -1, "", new Violations()))).containsExactly("page_size");
    }

    @Test
    void pagesFollowCreationOrderWithoutGapsOrRepeats() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "").id());
        }
        consents.record(TREATMENT, "p2", ConsentRulesTest.valid(), "");
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ConsentPage page = consents.list(TREATMENT, "p1", 2, token, new Violations());
            page.consents().forEach(c -> seen.add(c.id()));
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(created);
    }

    @Test
    void refusesTokensThatAreNotFromThisList() {
        for (int i = 0; i < 3; i++) {
            consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        }
        String token = consents.list(TREATMENT, "p1", 1, "", new Violations()).nextPageToken();
        assertThat(token).isNotEmpty();
        assertThat(fields(() -> consents.list(TREATMENT, "p2", 1, token, new Violations()))).containsExactly("page_token");
        assertThat(fields(() -> consents.list(TREATMENT, "p1", 1, "not a token", new Violations())))
                .containsExactly("page_token");
        String forged = java.util.Base64.getUrlEncoder().encodeToString("v1|p1|soon|x".getBytes());
        assertThat(fields(() -> consents.list(TREATMENT, "p1", 1, forged, new Violations()))).containsExactly("page_token");
        assertThat(fields(() -> consents.list(TREATMENT, "p1", -3, "nope", new Violations())))
                .containsExactly("page_size", "page_token");
    }

    @Test
    void anAmendmentWritesTheNextVersionAndKeepsTheFirst() {
        Consent v1 = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        Consent v2 = consents.amend(TREATMENT_2, "p1", v1.id(),
                amendment(v1, List.of("categories"), only(List.of(DataCategory.RISK))), new Violations());
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.etag()).isEqualTo("v2");
        assertThat(v2.categories()).containsExactly(DataCategory.RISK);
        assertThat(v2.recipients()).isEqualTo(v1.recipients());     // not in the mask: kept
        assertThat(v2.recordedBy()).isEqualTo(v1.recordedBy());
        assertThat(v2.updatedBy().subject()).isEqualTo("kw-2");
        List<Consent> history = consents.versions(HOUSING, "p1", v1.id(), new Violations());
        assertThat(history).extracting(Consent::version).containsExactly(1L, 2L);
        assertThat(history).extracting(Consent::state).containsExactly(ConsentState.SUPERSEDED, ConsentState.ACTIVE);
        assertThat(history.getFirst().categories()).isEqualTo(v1.categories());
    }

    @Test
    void theMaskNamesOnlyUpdatableFieldsAndTheEtagIsRequired() {
        Consent v1 = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        NewConsent values = only(List.of(DataCategory.RISK));
        assertThat(fields(() -> consents.amend(TREATMENT, "p1", v1.id(), amendment(v1, List.of(), values), new Violations())))
                .containsExactly("update_mask");
        assertThat(fields(() -> consents.amend(TREATMENT, "p1", v1.id(),
                amendment(v1, List.of("categories", "state", "recorded_by"), values), new Violations())))
                .containsExactly("update_mask.paths[1]", "update_mask.paths[2]");
        assertThat(fields(() -> consents.amend(TREATMENT, "p1", v1.id(),
                new ConsentAmendment(List.of("categories"), values, ""), new Violations())))
                .containsExactly("consent.etag");
        // "*" replaces every updatable field: here recipients, purposes and method are missing
        assertThat(fields(() -> consents.amend(TREATMENT, "p1", v1.id(), amendment(v1, List.of("*"), values),
                new Violations()))).containsExactly("consent.recipients", "consent.purposes", "consent.method");
        assertThat(repository.history(v1)).hasSize(1);
    }

    @Test
    void aStaleEtagIsAConflictAndWritesNothing() {
        Consent v1 = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        consents.amend(TREATMENT, "p1", v1.id(), amendment(v1, List.of("categories"), only(List.of(DataCategory.RISK))),
                new Violations());
        assertThatThrownBy(() -> consents.amend(TREATMENT, "p1", v1.id(),
                amendment(v1, List.of("categories"), only(List.of(DataCategory.FAMILY))), new Violations()))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.reason()).isEqualTo("ETAG_MISMATCH"));
        assertThatThrownBy(() -> consents.withdraw(TREATMENT, "p1", v1.id(), "", "v1", new Violations()))
                .isInstanceOf(ConflictException.class);
        assertThat(repository.history(v1)).hasSize(2);
    }

    @Test
    void onlyTheRecordingAgencyAmendsOnlyItOrTheDpoWithdraws() {
        Consent v1 = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        ConsentAmendment a = amendment(v1, List.of("categories"), only(List.of(DataCategory.RISK)));
        // a recipient can read it, so it is told why it may not change it
        assertThatThrownBy(() -> consents.amend(HOUSING, "p1", v1.id(), a, new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> consents.withdraw(HOUSING, "p1", v1.id(), "", "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        // an agency with no part in it cannot tell it from a consent that does not exist
        assertThatThrownBy(() -> consents.withdraw(POLICE, "p1", v1.id(), "", "", new Violations()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> consents.withdraw(POLICE, "p1", "id-that-does-not-exist", "", "", new Violations()))
                .isInstanceOf(NotFoundException.class);
        // the DPO may withdraw, not amend
        assertThatThrownBy(() -> consents.amend(DPO, "p1", v1.id(), a, new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(repository.history(v1)).hasSize(1);
        Consent withdrawn = consents.withdraw(DPO, "p1", v1.id(), "the person asked the DPO", "", new Violations());
        assertThat(withdrawn.state()).isEqualTo(ConsentState.WITHDRAWN);
        assertThat(withdrawn.withdrawal().by().subject()).isEqualTo("dpo");
        assertThat(withdrawn.withdrawal().reason()).isEqualTo("the person asked the DPO");
        assertThat(withdrawn.version()).isEqualTo(2);
    }

    @Test
    void aWithdrawnConsentCannotBeAmendedOrWithdrawnAgain() {
        Consent v1 = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        Consent v2 = consents.withdraw(TREATMENT, "p1", v1.id(), "", v1.etag(), new Violations());
        assertThatThrownBy(() -> consents.amend(TREATMENT, "p1", v1.id(),
                amendment(v2, List.of("categories"), only(List.of(DataCategory.RISK))), new Violations()))
                .isInstanceOfSatisfying(FailedPreconditionException.class,
                        e -> assertThat(e.getMessage()).contains("WITHDRAWN"));
        assertThatThrownBy(() -> consents.withdraw(TREATMENT, "p1", v1.id(), "", "", new Violations()))
                .isInstanceOfSatisfying(FailedPreconditionException.class,
                        e -> assertThat(e.getMessage()).contains("WITHDRAWN"));
        assertThat(repository.history(v1)).hasSize(2);
    }

    @Test
    void anExpiredConsentCanBeRenewedButNotEndedByAmendment() {
        NewConsent shortOne = new NewConsent(ConsentRulesTest.valid().recipients(), List.of(DataCategory.HOUSING),
                List.of(Purpose.REFERRAL), NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)),
                ConsentMethod.WRITTEN, "");
        Consent v1 = consents.record(TREATMENT, "p1", shortOne, "");
        assertThat(v1.state()).isEqualTo(ConsentState.EXPIRED);
        NewConsent until = new NewConsent(List.of(), List.of(), List.of(), null, NOW.plus(Duration.ofDays(90)), null, null);
        Consent renewed = consents.amend(TREATMENT, "p1", v1.id(), amendment(v1, List.of("valid_until"), until),
                new Violations());
        assertThat(renewed.state()).isEqualTo(ConsentState.ACTIVE);
        NewConsent past = new NewConsent(List.of(), List.of(), List.of(), null, NOW.minusSeconds(1), null, null);
        assertThat(fields(() -> consents.amend(TREATMENT, "p1", v1.id(), amendment(renewed, List.of("valid_until"), past),
                new Violations()))).containsExactly("consent.valid_until");
    }
}
