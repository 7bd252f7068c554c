package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The application service against an in-memory repository: paging, idempotency, who may call. */
class ConsentsTest {

    static final Instant NOW = ConsentRulesTest.NOW;
    static final Caller TREATMENT = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller PLATFORM = new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of());

    static final class InMemoryConsents implements ConsentRepository {
        final Map<String, Consent> byKey = new HashMap<>();

        @Override
        public Consent insertOnce(Consent consent, String key) {
            return byKey.computeIfAbsent(key, k -> consent);
        }

        @Override
        public List<Consent> findRecordedBy(String personId, String agency, ConsentCursor after, int limit) {
            Comparator<Consent> order = Comparator.comparing(Consent::createdAt).thenComparing(Consent::id);
            return byKey.values().stream()
                    .filter(c -> c.personId().equals(personId) && c.recordedBy().agency().equals(agency))
                    .filter(c -> after == null || order.compare(c,
                            new Consent(after.id(), "", List.of(), List.of(), List.of(), NOW, null, null, "",
                                    ConsentState.ACTIVE, null, after.createdAt(), 1)) > 0)
                    .sorted(order).limit(limit).toList();
        }
    }

    final InMemoryConsents repository = new InMemoryConsents();
    final AtomicInteger seq = new AtomicInteger();
    final Consents consents = new Consents(repository, Clock.fixed(NOW, ZoneOffset.UTC),
            () -> String.format("id%018d", seq.incrementAndGet()));

    static List<String> fields(Runnable r) {
        try {
            r.run();
            throw new AssertionError("no violation");
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    @Test
    void recordsAnActiveVersionOneConsentDefaultingValidFromToNow() {
        Consent c = consents.record(TREATMENT, "p1", ConsentRulesTest.valid(), "");
        assertThat(c.state()).isEqualTo(ConsentState.ACTIVE);
        assertThat(c.validFrom()).isEqualTo(NOW);
        assertThat(c.createdAt()).isEqualTo(NOW);
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.recordedBy().agency()).isEqualTo("forward-leeds");
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
    void platformOperatorsAreRefused() {
        assertThatThrownBy(() -> consents.record(PLATFORM, "p1", ConsentRulesTest.valid(), ""))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> consents.list(PLATFORM, "p1", 0, "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void pageSizeDefaultsCapsAndRefusesNegatives() {
        Violations v = new Violations();
        assertThat(Consents.pageSize(0, v)).isEqualTo(20);
        assertThat(Consents.pageSize(7, v)).isEqualTo(7);
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
}
