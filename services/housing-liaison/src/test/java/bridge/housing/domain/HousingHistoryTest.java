package bridge.housing.domain;

import bridge.support.paging.PageTokens;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The application service against an in-memory repository: ordering, paging, withheld, retries. */
class HousingHistoryTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123456Z");
    static final Caller HOUSING = new Caller("ho-1", "leeds-housing", AgencyType.HOUSING, Set.of("worker"));
    static final Caller PROBATION = new Caller("pp-1", "yorkshire-probation", AgencyType.PROBATION, Set.of("worker"));
    static final Caller PLATFORM = new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of());

    static final Comparator<HousingSituation> ORDER =
            Comparator.comparing(HousingSituation::startDate).reversed().thenComparing(HousingSituation::id);

    static final class InMemorySituations implements HousingSituationRepository {
        final Map<String, HousingSituation> byKey = new HashMap<>();

        @Override
        public HousingSituation insertOnce(HousingSituation situation, String key) {
            return byKey.computeIfAbsent(key, k -> situation);
        }

        @Override
        public List<HousingSituation> findRecordedBy(String personId, String agency, HousingCursor after, int limit) {
            return byKey.values().stream()
                    .filter(s -> s.personId().equals(personId) && s.recordedBy().agency().equals(agency))
                    .filter(s -> after == null || ORDER.compare(s, new HousingSituation(after.id(), "", null,
                            after.startDate(), "", "", null, NOW, 1)) > 0)
                    .sorted(ORDER).limit(limit).toList();
        }

        @Override
        public boolean existsRecordedByOtherThan(String personId, String agency) {
            return byKey.values().stream().anyMatch(s -> s.personId().equals(personId) && !s.recordedBy().agency().equals(agency));
        }
    }

    final AtomicInteger seq = new AtomicInteger();
    final HousingHistory history = history(Clock.fixed(NOW, ZoneOffset.UTC), ZoneId.of("Europe/London"));

    HousingHistory history(Clock clock, ZoneId zone) {
        return new HousingHistory(new InMemorySituations(),
                (person, categories, purpose) -> new bridge.support.consent.Decisions(java.util.Map.of()), personId -> true, clock, zone, () -> String.format("id%018d", seq.incrementAndGet()));
    }

    static NewHousingSituation startingOn(LocalDate d) {
        return new NewHousingSituation(HousingStatus.HOSTEL, d, "Leeds City Council", "");
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
    void recordsWithTheCallersAgencyAndMillisecondTime() {
        HousingSituation s = history.record(HOUSING, "p1", HousingRulesTest.valid(), "");
        assertThat(s.recordedBy().agency()).isEqualTo("leeds-housing");
        assertThat(s.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
        assertThat(s.version()).isEqualTo(1);
    }

    @Test
    void todayIsThePartnershipsCalendarDay() {
        // 23:30 UTC on 30 June is 00:30 on 1 July in Leeds: a situation starting 1 July is not in the future
        Clock lateEvening = Clock.fixed(Instant.parse("2026-06-30T23:30:00Z"), ZoneOffset.UTC);
        LocalDate july1 = LocalDate.of(2026, 7, 1);
        assertThat(history(lateEvening, ZoneId.of("Europe/London")).record(HOUSING, "p1", startingOn(july1), "")).isNotNull();
        assertThat(fields(() -> history(lateEvening, ZoneOffset.UTC).record(HOUSING, "p1", startingOn(july1), "")))
                .containsExactly("housing_situation.start_date");
    }

    @Test
    void newestStartFirstThenIdAcrossPages() {
        LocalDate d = LocalDate.of(2025, 1, 1);
        List<HousingSituation> created = new ArrayList<>();
        for (LocalDate start : List.of(d, d.plusDays(30), d, d.plusDays(10), d.plusDays(30))) {
            created.add(history.record(HOUSING, "p1", startingOn(start), ""));
        }
        List<HousingSituation> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            HousingPage page = history.list(HOUSING, "p1", bridge.support.consent.Purpose.DIRECT_SUPPORT, 2, token, new Violations());
            seen.addAll(page.situations());
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(created.stream().sorted(ORDER).toList());
    }

    @Test
    void othersRecordsAreWithheldByNameOnly() {
        history.record(HOUSING, "p1", HousingRulesTest.valid(), "");
        HousingPage probation = history.list(PROBATION, "p1", bridge.support.consent.Purpose.DIRECT_SUPPORT, 0, "", new Violations());
        assertThat(probation.situations()).isEmpty();
        assertThat(probation.withheldFromCaller()).isTrue();
        HousingPage housing = history.list(HOUSING, "p1", bridge.support.consent.Purpose.DIRECT_SUPPORT, 0, "", new Violations());
        assertThat(housing.situations()).hasSize(1);
        assertThat(housing.withheldFromCaller()).isFalse();
        assertThat(history.list(PROBATION, "p2", bridge.support.consent.Purpose.DIRECT_SUPPORT, 0, "", new Violations()).withheldFromCaller()).isFalse();
    }

    @Test
    void retriesPlatformAndBadPaging() {
        HousingSituation first = history.record(HOUSING, "p1", HousingRulesTest.valid(), "k");
        assertThat(history.record(HOUSING, "p1", HousingRulesTest.valid(), "k")).isEqualTo(first);
        assertThat(fields(() -> history.record(HOUSING, "p2", HousingRulesTest.valid(), "k"))).containsExactly("request_id");
        assertThatThrownBy(() -> history.record(PLATFORM, "p1", HousingRulesTest.valid(), ""))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> history.list(PLATFORM, "p1", bridge.support.consent.Purpose.DIRECT_SUPPORT, 0, "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(HousingHistory.pageSize(0, new Violations())).isEqualTo(20);
        assertThat(HousingHistory.pageSize(101, new Violations())).isEqualTo(100);
        assertThat(fields(() -> history.list(HOUSING, "p1", bridge.support.consent.Purpose.DIRECT_SUPPORT, -1, "x", new Violations())))
                .containsExactly("page_size", "page_token");
        String otherList = PageTokens.encode("p2", "2025-01-01", "id000000000000000001");
        assertThat(fields(() -> history.list(HOUSING, "p1", bridge.support.consent.Purpose.DIRECT_SUPPORT, 1, otherList, new Violations()))).containsExactly("page_token");
        String notADate = PageTokens.encode("p1", "2025-02-30", "id000000000000000001");
        assertThat(fields(() -> history.list(HOUSING, "p1", bridge.support.consent.Purpose.DIRECT_SUPPORT, 1, notADate, new Violations()))).containsExactly("page_token");
    }
}
