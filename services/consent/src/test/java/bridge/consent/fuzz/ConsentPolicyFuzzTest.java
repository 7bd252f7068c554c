package bridge.consent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentMethod;
import bridge.consent.domain.ConsentPolicy;
import bridge.consent.domain.ConsentState;
import bridge.consent.domain.Decision;
import bridge.consent.domain.DenyReason;
import bridge.consent.domain.LegalBasis;
import bridge.consent.domain.LegalBasisType;
import bridge.consent.domain.Recipient;
import bridge.consent.domain.ReviewState;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes {@link ConsentPolicy} against the rule table in its documentation, written out again here
 * as plainly as possible (the oracle): whatever the caller, consents, legal bases, times, category
 * and purpose, the policy never allows what the table denies, and answers exactly as the table does
 * (same allow/deny, same deny reason, the oldest allowing consent or legal basis as the basis).
 *
 * <p>In the normal test run this replays the committed corpus
 * ({@code src/test/resources/bridge/consent/fuzz/ConsentPolicyFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (docs/reliability.md).
 */
class ConsentPolicyFuzzTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final List<String> AGENCIES = List.of("met-police", "leeds-nhs", "forward-leeds", "leeds-housing",
            "bridge-platform", "hmp-leeds");

    @FuzzTest(maxDuration = "30s")
    void thePolicyAnswersAsTheTableDoes(FuzzedDataProvider data) {
        Caller caller = new Caller("fuzz-subject", data.pickValue(AGENCIES), data.pickValue(AgencyType.values()),
                Set.of());
        List<Consent> consents = new ArrayList<>();
        int nConsents = data.consumeInt(0, 5);
        for (int i = 0; i < nConsents; i++) {
            consents.add(consent(data, i));
        }
        List<LegalBasis> bases = new ArrayList<>();
        int nBases = data.consumeInt(0, 3);
        for (int i = 0; i < nBases; i++) {
            bases.add(legalBasis(data, i));
        }
        DataCategory category = data.pickValue(DataCategory.values());
        Purpose purpose = data.pickValue(Purpose.values());
        Instant now = NOW.plusSeconds(data.consumeInt(-3, 3));

        Decision actual = ConsentPolicy.decide(new ConsentPolicy.Question(caller, consents, bases, category, purpose, now));
        Decision expected = Table.decide(caller, consents, bases, category, purpose, now);

        if (!expected.allowed()) {
            assertThat(actual.allowed()).as("allowed what the table denies").isFalse();
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static Consent consent(FuzzedDataProvider data, int i) {
        List<Recipient> recipients = new ArrayList<>();
        int n = data.consumeInt(0, 3);
        for (int r = 0; r < n; r++) {
            recipients.add(data.consumeBoolean() ? Recipient.agency(data.pickValue(AGENCIES))
                    : Recipient.agencyType(data.pickValue(AgencyType.values())));
        }
        Instant validFrom = NOW.plusSeconds(data.consumeInt(-3, 3));
        Instant validUntil = data.consumeBoolean() ? null : NOW.plusSeconds(data.consumeInt(-3, 3));
        ConsentState state = data.pickValue(new ConsentState[] {ConsentState.ACTIVE, ConsentState.WITHDRAWN,
                ConsentState.SUPERSEDED});
        Instant created = NOW.minus(Duration.ofSeconds(data.consumeInt(0, 3)));
        Actor by = new Actor("recorder", data.pickValue(AGENCIES), AgencyType.TREATMENT);
        return new Consent("c" + data.consumeInt(0, 3) + "-" + i, "p1", recipients, subset(data, DataCategory.values()),
                subset(data, Purpose.values()), validFrom, validUntil, ConsentMethod.WRITTEN, "", state, by, created,
                data.consumeLong(1, 5), created, by, null);
    }

    private static LegalBasis legalBasis(FuzzedDataProvider data, int i) {
        Instant created = NOW.minus(Duration.ofSeconds(data.consumeInt(0, 3)));
        Actor by = new Actor("recorder", data.pickValue(AGENCIES), AgencyType.HEALTH);
        return new LegalBasis("b" + data.consumeInt(0, 3) + "-" + i, "p1", data.pickValue(LegalBasisType.values()),
                data.pickValue(AGENCIES), subset(data, DataCategory.values()), subset(data, Purpose.values()),
                "fuzz", NOW.plusSeconds(data.consumeInt(-3, 3)), data.pickValue(ReviewState.values()), by, created, null);
    }

    private static <T> List<T> subset(FuzzedDataProvider data, T[] all) {
        List<T> out = new ArrayList<>();
        for (T t : all) {
            if (data.consumeBoolean()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The table of ConsentPolicy's documentation, row by row, with no shared code. */
    static final class Table {

        static Decision decide(Caller caller, List<Consent> consents, List<LegalBasis> bases, DataCategory category,
                Purpose purpose, Instant now) {
            // row 1
            if (caller.agencyType() == AgencyType.PLATFORM) {
                return Decision.deny(category, DenyReason.PLATFORM_SEES_NO_PERSONAL_DATA);
            }
            boolean policeAskingForHealth = caller.agencyType() == AgencyType.POLICE
                    && (category == DataCategory.SUBSTANCE_USE || category == DataCategory.MENTAL_HEALTH
                    || category == DataCategory.PHYSICAL_HEALTH);
            // row 2
            Optional<Consent> consent = consents.stream()
                    .filter(c -> c.state() != ConsentState.WITHDRAWN && c.state() != ConsentState.SUPERSEDED)
                    .filter(c -> !now.isBefore(c.validFrom()) && (c.validUntil() == null || now.isBefore(c.validUntil())))
                    .filter(c -> c.categories().contains(category) && c.purposes().contains(purpose))
                    .filter(c -> c.recipients().stream().anyMatch(r ->
                            caller.agency().equals(r.agency())
                                    || (!policeAskingForHealth && r.agency() == null && r.agencyType() == caller.agencyType())))
                    .min(Comparator.comparing(Consent::createdAt).thenComparing(Consent::id));
            if (consent.isPresent()) {
                return Decision.byConsent(category, consent.get());
            }
            // row 3
            Optional<LegalBasis> basis = bases.stream()
                    .filter(b -> b.reviewState() != ReviewState.REVOKED && now.isBefore(b.validUntil()))
                    .filter(b -> b.recipientAgency().equals(caller.agency()))
                    .filter(b -> b.categories().contains(category) && b.purposes().contains(purpose))
                    .min(Comparator.comparing(LegalBasis::createdAt).thenComparing(LegalBasis::id));
            if (basis.isPresent()) {
                return Decision.byLegalBasis(category, basis.get());
            }
            // row 4, row 5
            return Decision.deny(category, policeAskingForHealth
                    ? DenyReason.HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT : DenyReason.NO_CONSENT);
        }
    }
}
