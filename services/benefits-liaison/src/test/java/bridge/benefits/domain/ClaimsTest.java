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
import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.time.MutableClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
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

        @Override
        public Optional<Claim> replaceIfVersion(Claim changed) {
            for (Map.Entry<String, Claim> e : byKey.entrySet()) {
                if (e.getValue().id().equals(changed.id())) {
                    if (e.getValue().version() != changed.version() - 1) {
                        return Optional.empty();
                    }
                    e.setValue(changed);
                    return Optional.of(changed);
                }
            }
            return Optional.empty();
        }

        static final Comparator<Claim> NEWEST_FIRST_THEN_ID =
                Comparator.comparing(Claim::createdAt).reversed().thenComparing(Claim::id);

        @Override
        public List<Claim> findAbout(String personId, String agency, ClaimCursor after, int limit) {
            return byKey.values().stream()
                    .filter(c -> c.personId().equals(personId))
                    .filter(c -> agency == null || c.recordedBy().agency().equals(agency))
                    .filter(c -> after == null || NEWEST_FIRST_THEN_ID.compare(c,
                            new Claim(after.id(), personId, null, null, null, after.createdAt(), null, 0, List.of(), "", null)) > 0)
                    .sorted(NEWEST_FIRST_THEN_ID).limit(limit).toList();
        }

        @Override
        public List<Claim> awaitingDwp(int limit) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public void checkedWithDwp(String id, Instant at) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public boolean existsRecordedByOtherThan(String personId, String agency) {
            return byKey.values().stream().anyMatch(c -> c.personId().equals(personId)
                    && !c.recordedBy().agency().equals(agency));
        }
    }

    /** Stands in for the consent service: allows what {@code granted} holds, records every question. */
    static final class RecordingDecisions implements ConsentDecisions {
        final Set<DataCategory> granted = new java.util.HashSet<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public Decisions decide(String personId, java.util.Collection<DataCategory> categories, Purpose purpose) {
            asked.add(personId + "|" + purpose + "|" + categories);
            Map<DataCategory, Boolean> out = new java.util.EnumMap<>(DataCategory.class);
            categories.forEach(c -> out.put(c, granted.contains(c)));
            return new Decisions(out);
        }
    }

    final AtomicInteger seq = new AtomicInteger();
    final Claims claims = new Claims(new InMemoryClaims(), (person, categories, purpose) -> new bridge.support.consent.Decisions(java.util.Map.of()), personId -> true, Clock.fixed(NOW, ZoneOffset.UTC),
            () -> String.format("id%018d", seq.incrementAndGet()));

    /** Moved on by the tests, so claims get distinct creation times. */
    final MutableClock clock = new MutableClock(NOW);
    final RecordingDecisions decisions = new RecordingDecisions();
    final Claims listing = new Claims(new InMemoryClaims(), decisions, personId -> true, clock,
            () -> String.format("id%018d", seq.incrementAndGet()));

    private Claim openAt(Caller caller, String personId, int minutesLater) {
        clock.set(NOW.plusSeconds(60L * minutesLater));
        return listing.open(caller, personId, UC, "");
    }

    private ClaimPage list(Caller caller, String personId, int pageSize, String token) {
        return listing.list(caller, personId, Purpose.DIRECT_SUPPORT, pageSize, token, new Violations());
    }

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
    void everyStatusChangeIsTimestampedAndAttributedInTheHistory() {
        clock.set(NOW);
        Claim c = listing.open(BENEFITS, "p1", UC, "");
        assertThat(c.history()).containsExactly(new ClaimStatusChange(ClaimStatus.PREPARING,
                Instant.parse("2026-03-01T10:00:00.123Z"), bridge.support.identity.Actor.of(BENEFITS), ""));
        clock.set(NOW.plusSeconds(3600));
        Claim submitted = listing.recordStatus(BENEFITS, "p1", c.id(), ClaimStatus.SUBMITTED, "online claim made", 1L, new Violations());
        clock.set(NOW.plusSeconds(7200));
        Caller colleague = new Caller("adv-2", "leeds-welfare-rights", AgencyType.BENEFITS, Set.of("worker"));
        Claim awarded = listing.recordStatus(colleague, "p1", c.id(), ClaimStatus.AWARDED, "", null, new Violations());
        assertThat(submitted.version()).isEqualTo(2);
        assertThat(awarded.status()).isEqualTo(ClaimStatus.AWARDED);
        assertThat(awarded.version()).isEqualTo(3);
        assertThat(awarded.updatedAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123Z"));
        assertThat(awarded.history()).extracting(ClaimStatusChange::status)
                .containsExactly(ClaimStatus.PREPARING, ClaimStatus.SUBMITTED, ClaimStatus.AWARDED);
        assertThat(awarded.history().get(1).at()).isEqualTo(Instant.parse("2026-03-01T11:00:00.123Z"));
        assertThat(awarded.history().get(1).note()).isEqualTo("online claim made");
        assertThat(awarded.history().get(2).changedBy().subject()).isEqualTo("adv-2");
        assertThat(listing.get(BENEFITS, "p1", c.id(), Purpose.DIRECT_SUPPORT)).isEqualTo(awarded);
    }

    @Test
    void onlyAllowedMovesFromTheCurrentStatusWithAFreshEtag() {
        Claim c = listing.open(BENEFITS, "p1", UC, "");
        assertThatThrownBy(() -> listing.recordStatus(BENEFITS, "p1", c.id(), ClaimStatus.AWARDED, "", null, new Violations()))
                .isInstanceOf(bridge.support.errors.FailedPreconditionException.class)
                .hasMessageContaining("PREPARING claim cannot become AWARDED");
        assertThatThrownBy(() -> listing.recordStatus(BENEFITS, "p1", c.id(), ClaimStatus.PREPARING, "", null, new Violations()))
                .isInstanceOf(bridge.support.errors.FailedPreconditionException.class);
        listing.recordStatus(BENEFITS, "p1", c.id(), ClaimStatus.CLOSED, "person moved to Scotland", 1L, new Violations());
        assertThatThrownBy(() -> listing.recordStatus(BENEFITS, "p1", c.id(), ClaimStatus.SUBMITTED, "", 1L, new Violations()))
                .isInstanceOf(bridge.support.errors.ConflictException.class);
        for (ClaimStatus s : ClaimStatus.values()) {
            assertThatThrownBy(() -> listing.recordStatus(BENEFITS, "p1", c.id(), s, "", null, new Violations()))
                    .as("closed is final: %s", s).isInstanceOf(bridge.support.errors.FailedPreconditionException.class);
        }
        assertThat(listing.get(BENEFITS, "p1", c.id(), Purpose.DIRECT_SUPPORT).history()).hasSize(2);
        assertThat(ClaimStatus.REFUSED.next()).contains(ClaimStatus.AWAITING_DECISION);
    }

    @Test
    void onlyTheOpeningAgencyRecordsStatusAndOthersCannotTellTheClaimExists() {
        Claim c = listing.open(BENEFITS, "p1", UC, "");
        assertThatThrownBy(() -> listing.recordStatus(PRISON, "p1", c.id(), ClaimStatus.SUBMITTED, "", null, new Violations()))
                .isInstanceOf(NotFoundException.class);
        decisions.granted.add(DataCategory.BENEFITS);
        assertThatThrownBy(() -> listing.recordStatus(PRISON, "p1", c.id(), ClaimStatus.SUBMITTED, "", null, new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> listing.recordStatus(PLATFORM, "p1", c.id(), ClaimStatus.SUBMITTED, "", null, new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(fields(() -> listing.recordStatus(BENEFITS, "p1", c.id(), null, "n".repeat(501), null, new Violations())))
                .containsExactly("status", "note");
        assertThat(listing.get(BENEFITS, "p1", c.id(), Purpose.DIRECT_SUPPORT)).isEqualTo(c);
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

    @Test
    void listsTheCallersOwnClaimsNewestFirstAndWithholdsOthersWithoutAnAllowingDecision() {
        Claim older = openAt(PRISON, "p1", 0);
        Claim newer = openAt(PRISON, "p1", 5);
        Claim theirs = openAt(BENEFITS, "p1", 3);
        openAt(PRISON, "p2", 9);
        ClaimPage own = list(PRISON, "p1", 0, "");
        assertThat(own.claims()).containsExactly(newer, older);
        assertThat(own.withheldFromCaller()).isTrue();
        assertThat(own.nextPageToken()).isEmpty();
        assertThat(decisions.asked).containsExactly("p1|DIRECT_SUPPORT|[BENEFITS]");

        decisions.granted.add(DataCategory.BENEFITS);
        ClaimPage all = listing.list(PRISON, "p1", Purpose.RISK_MANAGEMENT, 0, "", new Violations());
        assertThat(all.claims()).containsExactly(newer, theirs, older);
        assertThat(all.withheldFromCaller()).isFalse();
        assertThat(decisions.asked).last().isEqualTo("p1|RISK_MANAGEMENT|[BENEFITS]");

        // withdrawal: asked afresh on the next request
        decisions.granted.clear();
        assertThat(list(PRISON, "p1", 0, "").claims()).containsExactly(newer, older);
        assertThat(decisions.asked).hasSize(3);
    }

    @Test
    void noDecisionIsAskedWhenNoOtherAgencyHoldsClaims() {
        Claim own = openAt(PRISON, "p1", 0);
        ClaimPage page = list(PRISON, "p1", 0, "");
        assertThat(page.claims()).containsExactly(own);
        assertThat(page.withheldFromCaller()).isFalse();
        assertThat(list(BENEFITS, "p-nobody", 0, "").claims()).isEmpty();
        assertThat(decisions.asked).isEmpty();
    }

    @Test
    void pagesInAStableOrderWithoutRepeatsAndTokensAreBoundToThePerson() {
        List<Claim> opened = new ArrayList<>();
        for (int minute : new int[] {4, 1, 4, 7, 1}) {
            opened.add(openAt(PRISON, "p1", minute));
        }
        List<Claim> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ClaimPage page = list(PRISON, "p1", 2, token);
            paged.addAll(page.claims());
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(opened)
                .isSortedAccordingTo(InMemoryClaims.NEWEST_FIRST_THEN_ID)
                .isEqualTo(list(PRISON, "p1", 0, "").claims());
        String first = list(PRISON, "p1", 1, "").nextPageToken();
        assertThat(fields(() -> list(PRISON, "p2", 1, first))).containsExactly("page_token");
        assertThat(fields(() -> list(PRISON, "p1", 1, "not-a-token"))).containsExactly("page_token");
    }

    @Test
    void pageSizeDefaultsTo20AndIsCappedAt100() {
        Violations v = new Violations();
        assertThat(Claims.pageSize(0, v)).isEqualTo(20);
        assertThat(Claims.pageSize(7, v)).isEqualTo(7);
        assertThat(Claims.pageSize(1000, v)).isEqualTo(100);
        assertThat(v.isEmpty()).isTrue();
        assertThat(fields(() -> list(PRISON, "p1", -1, ""))).containsExactly("page_size");
        assertThat(fields(() -> listing.list(PRISON, null, Purpose.DIRECT_SUPPORT, -1, "x",
                new Violations().add("parent", "is malformed")))).containsExactly("parent", "page_size");
    }

    @Test
    void platformOperatorsCannotList() {
        assertThatThrownBy(() -> list(PLATFORM, "p1", 0, "")).isInstanceOf(PermissionDeniedException.class);
    }
}
