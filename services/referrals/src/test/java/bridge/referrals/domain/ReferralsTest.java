package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The application service against an in-memory repository: who sees a referral, retries, platform. */
class ReferralsTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123456Z");
    static final Caller POLICE = new Caller("officer-1", "met-police", AgencyType.POLICE, Set.of("worker"));
    static final Caller TREATMENT = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller HOUSING = new Caller("ho-1", "leeds-housing", AgencyType.HOUSING, Set.of("worker"));
    static final Caller PLATFORM = new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of());

    static final class InMemoryReferrals implements ReferralRepository {
        final Map<String, Referral> byKey = new HashMap<>();

        @Override
        public Referral insertOnce(Referral referral, String key) {
            return byKey.computeIfAbsent(key, k -> referral);
        }

        @Override
        public Optional<Referral> findById(String id) {
            return byKey.values().stream().filter(r -> r.id().equals(id)).findFirst();
        }
    }

    final AtomicInteger seq = new AtomicInteger();
    final Referrals referrals = new Referrals(new InMemoryReferrals(), (person, categories, purpose) -> new bridge.support.consent.Decisions(java.util.Map.of()), Clock.fixed(NOW, ZoneOffset.UTC),
            () -> String.format("id%018d", seq.incrementAndGet()));

    @Test
    void aNewReferralIsRequestedFromTheCallersAgency() {
        Referral r = referrals.send(POLICE, ReferralRulesTest.valid(), "");
        assertThat(r.status()).isEqualTo(ReferralStatus.REQUESTED);
        assertThat(r.requester().agency()).isEqualTo("met-police");
        assertThat(r.requester().subject()).isEqualTo("officer-1");
        assertThat(r.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z")).isEqualTo(r.updatedAt());
        assertThat(r.version()).isEqualTo(1);
    }

    @Test
    void sendersAndReceiversSeeItOthersAreToldNotFound() {
        Referral r = referrals.send(POLICE, ReferralRulesTest.valid(), "");
        assertThat(referrals.get(POLICE, r.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT)).isEqualTo(r);
        assertThat(referrals.get(TREATMENT, r.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT)).isEqualTo(r);
        String hidden = messageOf(() -> referrals.get(HOUSING, r.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT));
        String missing = messageOf(() -> referrals.get(HOUSING, "id999999999999999999", bridge.support.consent.Purpose.DIRECT_SUPPORT));
        assertThat(hidden.replace(r.id(), "ID")).isEqualTo(missing.replace("id999999999999999999", "ID"));
    }

    @Test
    void aRetryReturnsTheFirstReferralButNotForAnotherPerson() {
        Referral first = referrals.send(POLICE, ReferralRulesTest.valid(), "k1");
        assertThat(referrals.send(POLICE, ReferralRulesTest.valid(), "k1")).isEqualTo(first);
        assertThat(referrals.send(HOUSING, ReferralRulesTest.valid(), "k1").id()).isNotEqualTo(first.id());
        NewReferral other = new NewReferral("p2", Pathway.DRUG_TEST_ON_ARREST, "forward-leeds", "");
        assertThatThrownBy(() -> referrals.send(POLICE, other, "k1")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void platformOperatorsAreRefused() {
        assertThatThrownBy(() -> referrals.send(PLATFORM, ReferralRulesTest.valid(), ""))
                .isInstanceOf(PermissionDeniedException.class);
        Referral r = referrals.send(POLICE, ReferralRulesTest.valid(), "");
        assertThatThrownBy(() -> referrals.get(PLATFORM, r.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT)).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void statusesCarryTheirFhirTaskCodes() {
        assertThat(Arrays.stream(ReferralStatus.values()).map(ReferralStatus::fhirCode)).containsExactly(
                "draft", "requested", "received", "accepted", "rejected", "in-progress", "on-hold", "completed",
                "cancelled", "failed");
        assertThat(ReferralStatus.REQUESTED.isFinal()).isFalse();
        assertThat(ReferralStatus.COMPLETED.isFinal()).isTrue();
    }

    private static String messageOf(Runnable r) {
        try {
            r.run();
            throw new AssertionError("expected not found");
        } catch (NotFoundException e) {
            return e.reason() + ": " + e.getMessage();
        }
    }
}
