package bridge.benefits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rules and the application service against an in-memory repository. */
class ClaimsTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123456Z");
    static final Caller PRISON = new Caller("rp-1", "hmp-leeds", AgencyType.PRISON, Set.of("worker"));
    static final Caller BENEFITS = new Caller("adv-1", "leeds-welfare-rights", AgencyType.BENEFITS, Set.of("worker"));
    static final Caller PLATFORM = new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of());
    static final NewClaim UC = new NewClaim(Benefit.UNIVERSAL_CREDIT);

    static final class InMemoryClaims implements ClaimRepository {
        final Map<String, Claim> byKey = new HashMap<>();

        @Override
        public Claim insertOnce(Claim claim, String key) {
            return byKey.computeIfAbsent(key, k -> claim);
        }

        @Override
        public Optional<Claim> findById(String id) {
            return byKey.values().stream().filter(c -> c.id().equals(id)).findFirst();
        }
    }

    final AtomicInteger seq = new AtomicInteger();
    final Claims claims = new Claims(new InMemoryClaims(), (person, categories, purpose) -> new bridge.support.consent.Decisions(java.util.Map.of()), Clock.fixed(NOW, ZoneOffset.UTC),
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
    void needsABenefit() {
        Violations v = new Violations();
        ClaimRules.validate(UC, "claim", v);
        assertThat(v.isEmpty()).isTrue();
        assertThat(fields(() -> claims.open(PRISON, "p1", new NewClaim(null), ""))).containsExactly("claim.benefit");
        assertThat(fields(() -> claims.open(PRISON, "p1", null, "r".repeat(129)))).containsExactly("claim", "request_id");
    }

    @Test
    void aNewClaimIsPreparingAndRecordedByTheCaller() {
        Claim c = claims.open(PRISON, "p1", UC, "");
        assertThat(c.status()).isEqualTo(ClaimStatus.PREPARING);
        assertThat(c.recordedBy().agency()).isEqualTo("hmp-leeds");
        assertThat(c.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z")).isEqualTo(c.updatedAt());
        assertThat(c.version()).isEqualTo(1);
    }

    @Test
    void onlyTheRecordingAgencySeesItUnderItsOwnPerson() {
        Claim c = claims.open(PRISON, "p1", UC, "");
        assertThat(claims.get(PRISON, "p1", c.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT)).isEqualTo(c);
        assertThatThrownBy(() -> claims.get(BENEFITS, "p1", c.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT)).isInstanceOf(NotFoundException.class)
                .hasMessage("people/p1/claims/" + c.id() + " not found");
        assertThatThrownBy(() -> claims.get(PRISON, "p2", c.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> claims.get(PRISON, "p1", "id999999999999999999", bridge.support.consent.Purpose.DIRECT_SUPPORT)).isInstanceOf(NotFoundException.class)
                .hasMessage("people/p1/claims/id999999999999999999 not found");
    }

    @Test
    void retriesAndPlatform() {
        Claim first = claims.open(PRISON, "p1", UC, "k");
        assertThat(claims.open(PRISON, "p1", UC, "k")).isEqualTo(first);
        assertThat(claims.open(BENEFITS, "p1", UC, "k").id()).isNotEqualTo(first.id());
        assertThat(fields(() -> claims.open(PRISON, "p2", UC, "k"))).containsExactly("request_id");
        assertThatThrownBy(() -> claims.open(PLATFORM, "p1", UC, "")).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> claims.get(PLATFORM, "p1", first.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT)).isInstanceOf(PermissionDeniedException.class);
    }
}
