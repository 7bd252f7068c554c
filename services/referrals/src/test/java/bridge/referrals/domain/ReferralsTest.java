package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.Violations;
import bridge.support.time.MutableClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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

        @Override
        public synchronized boolean recordHandover(String id, Handover handover) {
            for (Map.Entry<String, Referral> e : byKey.entrySet()) {
                Referral r = e.getValue();
                if (r.id().equals(id) && r.handover() != null && !r.handover().isDone()) {
                    e.setValue(r.withHandover(handover));
                    return true;
                }
            }
            return false;
        }

        @Override
        public synchronized boolean removeRefusedHandover(String id) {
            return byKey.values().removeIf(r -> r.id().equals(id) && r.version() == 1
                    && r.handover() != null && !r.handover().isDone());
        }

        static final Comparator<Referral> NEWEST_FIRST_THEN_ID =
                Comparator.comparing(Referral::createdAt).reversed().thenComparing(Referral::id);

        @Override
        public List<Referral> findAbout(String personId, String agency, ReferralCursor after, int limit) {
            Comparator<Referral> order = NEWEST_FIRST_THEN_ID;
            return byKey.values().stream()
                    .filter(r -> r.personId().equals(personId))
                    .filter(r -> agency == null || r.isVisibleTo(agency))
                    .filter(r -> after == null || r.createdAt().isBefore(after.createdAt())
                            || (r.createdAt().equals(after.createdAt()) && r.id().compareTo(after.id()) > 0))
                    .sorted(order).limit(limit).toList();
        }

        @Override
        public synchronized boolean applyTransition(Referral updated, long expectedVersion, HistoryEntry entry) {
            for (Map.Entry<String, Referral> e : byKey.entrySet()) {
                if (e.getValue().id().equals(updated.id())) {
                    if (e.getValue().version() != expectedVersion) {
                        return false;
                    }
                    e.setValue(updated);
                    return true;
                }
            }
            return false;
        }

        @Override
        public synchronized List<Referral> findUpdatedSince(Instant since) {
            return byKey.values().stream().filter(r -> !r.updatedAt().isBefore(since)).toList();
        }

        @Override
        public synchronized List<Referral> findSentBetween(Instant from, Instant to, Pathway pathway, String agency) {
            return byKey.values().stream().filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
                    .filter(r -> pathway == null || r.pathway() == pathway)
                    .filter(r -> agency == null || r.performerAgency().equals(agency)).toList();
        }

        @Override
        public boolean applyEngagement(Referral updated, long expectedVersion) {
            return applyTransition(updated, expectedVersion, null);
        }

        @Override
        public List<Referral> findReceivedBy(String agency, Set<ReferralStatus> statuses, Instant sentBefore) {
            return byKey.values().stream().filter(r -> r.performerAgency().equals(agency))
                    .filter(r -> statuses.contains(r.status())).filter(r -> r.createdAt().isBefore(sentBefore)).toList();
        }

        @Override
        public boolean existsNotInvolving(String personId, String agency) {
            return byKey.values().stream().anyMatch(r -> r.personId().equals(personId) && !r.isVisibleTo(agency));
        }
    }

    /** Stands in for the consent service: allows what {@code granted} holds, records every question. */
    static final class RecordingDecisions implements ConsentDecisions {
        final Set<DataCategory> granted = new HashSet<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public Decisions decide(String personId, Collection<DataCategory> categories, Purpose purpose) {
            asked.add(personId + "|" + purpose + "|" + categories);
            Map<DataCategory, Boolean> out = new EnumMap<>(DataCategory.class);
            categories.forEach(c -> out.put(c, granted.contains(c)));
            return new Decisions(out);
        }
    }

    /** Moved on by the tests, so referrals get distinct creation times. */
    final MutableClock clock = new MutableClock(NOW);
    final RecordingDecisions decisions = new RecordingDecisions();
    final AtomicInteger listingSeq = new AtomicInteger();
    final Referrals listing = new Referrals(new InMemoryReferrals(), decisions, personId -> true, clock,
            () -> String.format("id%018d", listingSeq.incrementAndGet()));

    private Referral sendAt(Caller caller, String personId, String performer, int minutesLater) {
        clock.set(NOW.plusSeconds(60L * minutesLater));
        return listing.send(caller, new NewReferral(personId, Pathway.PEER_NAVIGATOR, performer, "", PathwayFixtures.details(Pathway.PEER_NAVIGATOR)), "");
    }

    private ReferralPage list(Caller caller, String personId, int pageSize, String token) {
        return listing.list(caller, personId, Purpose.DIRECT_SUPPORT, pageSize, token, new Violations());
    }

    private static List<String> fields(Runnable r) {
        try {
            r.run();
            throw new AssertionError("no violation");
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
    }

    private static List<String> ids(ReferralPage page) {
        return page.referrals().stream().map(Referral::id).toList();
    }

    @Test
    void listsWhatTheCallerSentOrReceivedNewestFirstAndWithholdsTheRest() {
        Referral sent = sendAt(POLICE, "p1", "forward-leeds", 0);
        Referral received = sendAt(HOUSING, "p1", "met-police", 5);
        Referral between = sendAt(HOUSING, "p1", "forward-leeds", 3);
        sendAt(POLICE, "p2", "leeds-housing", 9);
        ReferralPage police = list(POLICE, "p1", 0, "");
        assertThat(ids(police)).containsExactly(received.id(), sent.id());
        assertThat(police.withheldFromCaller()).isTrue();
        // other agencies' referrals: the caller's purpose; the one it received: purpose REFERRAL
        assertThat(decisions.asked).containsExactly(
                "p1|DIRECT_SUPPORT|[SUBSTANCE_USE, MENTAL_HEALTH, JUSTICE, HOUSING, BENEFITS, REFERRALS]",
                "p1|REFERRAL|[REFERRALS]");
        assertThat(police.referrals().getFirst().withheld()).containsExactly(DataCategory.REFERRALS);
        assertThat(police.referrals().getLast()).isEqualTo(sent);

        decisions.granted.add(DataCategory.REFERRALS);
        ReferralPage all = listing.list(POLICE, "p1", Purpose.RISK_MANAGEMENT, 0, "", new Violations());
        assertThat(all.referrals()).containsExactly(received, between, sent);
        assertThat(all.withheldFromCaller()).isFalse();
        assertThat(decisions.asked.get(decisions.asked.size() - 2)).startsWith("p1|RISK_MANAGEMENT|");

        decisions.granted.clear();
        assertThat(ids(list(POLICE, "p1", 0, ""))).containsExactly(received.id(), sent.id());
        // the treatment service sent nothing but received two: it sees those, and is told of the third
        assertThat(ids(list(TREATMENT, "p1", 0, ""))).containsExactly(between.id(), sent.id());
        assertThat(list(TREATMENT, "p1", 0, "").withheldFromCaller()).isTrue();
    }

    @Test
    void onlyTheReceiversOwnDecisionIsAskedWhenEveryReferralInvolvesTheCaller() {
        Referral r = sendAt(POLICE, "p1", "forward-leeds", 0);
        assertThat(ids(list(TREATMENT, "p1", 0, ""))).containsExactly(r.id());
        assertThat(list(TREATMENT, "p1", 0, "").withheldFromCaller()).isFalse();
        assertThat(list(HOUSING, "p-nobody", 0, "").referrals()).isEmpty();
        assertThat(list(POLICE, "p1", 0, "").referrals()).containsExactly(r);
        assertThat(decisions.asked).containsOnly("p1|REFERRAL|[REFERRALS]");
    }

    @Test
    void pagesInAStableOrderWithoutRepeatsAndTokensAreBoundToThePerson() {
        List<Referral> sent = new ArrayList<>();
        for (int minute : new int[] {4, 1, 4, 7, 1}) {
            sent.add(sendAt(POLICE, "p1", "forward-leeds", minute));
        }
        List<Referral> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ReferralPage page = list(POLICE, "p1", 2, token);
            paged.addAll(page.referrals());
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent)
                .isSortedAccordingTo(InMemoryReferrals.NEWEST_FIRST_THEN_ID)
                .isEqualTo(list(POLICE, "p1", 0, "").referrals());
        String first = list(POLICE, "p1", 1, "").nextPageToken();
        assertThat(fields(() -> list(POLICE, "p2", 1, first))).containsExactly("page_token");
        assertThat(fields(() -> list(POLICE, "p1", 1, "not-a-token"))).containsExactly("page_token");
    }

    @Test
    void pageSizeDefaultsTo20AndIsCappedAt100() {
        Violations v = new Violations();
        assertThat(Referrals.pageSize(0, v)).isEqualTo(20);
        assertThat(Referrals.pageSize(7, v)).isEqualTo(7);
        assertThat(Referrals.pageSize(1000, v)).isEqualTo(100);
        assertThat(v.isEmpty()).isTrue();
        assertThat(fields(() -> list(POLICE, "p1", -1, ""))).containsExactly("page_size");
        assertThat(fields(() -> listing.list(POLICE, null, Purpose.DIRECT_SUPPORT, -1, "x",
                new Violations().add("parent", "is malformed")))).containsExactly("parent", "page_size");
        assertThatThrownBy(() -> list(PLATFORM, "p1", 0, "")).isInstanceOf(PermissionDeniedException.class);
    }

    final AtomicInteger seq = new AtomicInteger();
    final Referrals referrals = new Referrals(new InMemoryReferrals(), (person, categories, purpose) -> new bridge.support.consent.Decisions(java.util.Map.of()), personId -> true, Clock.fixed(NOW, ZoneOffset.UTC),
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
        // the receiver sees the envelope; without a REFERRAL decision not what the sender wrote
        Referral received = referrals.get(TREATMENT, r.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT);
        assertThat(received.id()).isEqualTo(r.id());
        assertThat(received.withheld()).containsExactlyInAnyOrderElementsOf(r.pathway().sharedCategories());
        assertThat(received.reason()).isEmpty();
        String hidden = messageOf(() -> referrals.get(HOUSING, r.id(), bridge.support.consent.Purpose.DIRECT_SUPPORT));
        String missing = messageOf(() -> referrals.get(HOUSING, "id999999999999999999", bridge.support.consent.Purpose.DIRECT_SUPPORT));
        assertThat(hidden.replace(r.id(), "ID")).isEqualTo(missing.replace("id999999999999999999", "ID"));
    }

    @Test
    void aRetryReturnsTheFirstReferralButNotForAnotherPerson() {
        Referral first = referrals.send(POLICE, ReferralRulesTest.valid(), "k1");
        assertThat(referrals.send(POLICE, ReferralRulesTest.valid(), "k1")).isEqualTo(first);
        assertThat(referrals.send(HOUSING, ReferralRulesTest.valid(), "k1").id()).isNotEqualTo(first.id());
        NewReferral other = new NewReferral("p2", Pathway.DRUG_TEST_ON_ARREST, "forward-leeds", "", PathwayFixtures.details(Pathway.DRUG_TEST_ON_ARREST));
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
