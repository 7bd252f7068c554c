package bridge.housing.domain;

import bridge.support.paging.PageTokens;
import bridge.support.consent.ConsentDecisions;
import bridge.support.errors.NotFoundException;
import bridge.support.people.PersonVisibility;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Recording and listing a person's housing situations.
 *
 * <p>Visibility: an agency always lists the situations it recorded itself. Situations other agencies
 * recorded are included only under an allowing HOUSING decision of the consent service for the
 * caller's purpose, asked afresh on every request; when denied, the page says HOUSING was withheld
 * (names only, no content). The PLATFORM agency sees no personal data.
 */
public final class HousingHistory {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_REQUEST_ID_LENGTH = 128;

    private final HousingSituationRepository situations;
    private final ConsentDecisions decisions;
    private final PersonVisibility people;
    private final Clock clock;
    private final ZoneId calendarZone;
    private final Supplier<String> ids;

    /**
     * @param calendarZone the partnership's calendar, which decides what "today" is for start
     *                     dates (a date entered in Leeds at 00:30 BST is not in the future)
     */
    public HousingHistory(HousingSituationRepository situations, ConsentDecisions decisions, PersonVisibility people, Clock clock,
                          ZoneId calendarZone, Supplier<String> ids) {
        this.situations = situations;
        this.decisions = decisions;
        this.people = people;
        this.clock = clock;
        this.calendarZone = calendarZone;
        this.ids = ids;
    }

    public HousingSituation record(Caller caller, String personId, NewHousingSituation request, String requestId) {
        return record(caller, personId, request, requestId, new Violations());
    }

    /**
     * Records a situation; {@code mappingViolations} holds what the adapter already found (a
     * malformed parent, a missing or impossible start date), so that the caller hears of every
     * problem at once. Nothing is written unless everything is valid.
     */
    public HousingSituation record(Caller caller, String personId, NewHousingSituation request, String requestId,
                                   Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        Instant now = clock.instant();
        if (request == null) {
            v.add("housing_situation", "is required");
        } else {
            HousingRules.validate(request, LocalDate.ofInstant(now, calendarZone), "housing_situation", v);
        }
        if (requestId != null && requestId.length() > MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        if (request.startDate() == null || personId == null) {
            throw new IllegalArgumentException("start date and person are required (reported by the adapter)");
        }
        people.requireVisible(personId);
        String id = ids.get();
        // stored with millisecond precision: what we return must equal what a later read returns
        HousingSituation situation = new HousingSituation(id, personId, request.status(), request.startDate(),
                request.localAuthority(), request.note(), Actor.of(caller), now.truncatedTo(ChronoUnit.MILLIS), 1);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        HousingSituation stored = situations.insertOnce(situation, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id", "was already used for a housing situation of another person");
        }
        return stored;
    }

    /** The situations the caller may see for the person, newest start date first (then by id). */
    public HousingPage list(Caller caller, String personId, Purpose purpose, int pageSize, String pageToken,
                            Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        int size = pageSize(pageSize, v);
        HousingCursor after = personId == null ? null : cursor(pageToken, personId, v);
        v.throwIfAny();
        // A list about someone the caller holds nothing of and may not see is "not found", exactly
        // like a single record: no route reveals that a person exists (BOLA).
        if (pageToken == null || pageToken.isEmpty()) {
            if (situations.findRecordedBy(personId, caller.agency(), null, 1).isEmpty() && !people.isVisible(personId)) {
                throw new NotFoundException("PERSON_NOT_FOUND", "people/" + personId + " not found");
            }
        }
        boolean othersExist = situations.existsRecordedByOtherThan(personId, caller.agency());
        boolean othersAllowed = othersExist
                && decisions.decide(personId, List.of(DataCategory.HOUSING), purpose).allows(DataCategory.HOUSING);
        List<HousingSituation> found = situations.findRecordedBy(personId, othersAllowed ? null : caller.agency(),
                after, size + 1);
        List<HousingSituation> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            HousingSituation last = page.getLast();
            next = PageTokens.encode(personId, last.startDate().toString(), last.id());
        }
        List<HousingSituation> newest = after == null ? found : situations.findRecordedBy(personId,
                othersAllowed ? null : caller.agency(), null, 2);
        return new HousingPage(page, next, othersExist && !othersAllowed, tenancyAtRisk(newest));
    }

    /**
     * A tenancy is at risk while its tenant is in residential rehab: rent and housing costs must go
     * on being paid and the landlord told, or the person leaves treatment homeless. True when the
     * newest situation is a rehab stay and the one before it a tenancy (settled or Housing First).
     *
     * @param newestFirst situations newest start first (at least the two newest, when there are two)
     */
    public static boolean tenancyAtRisk(List<HousingSituation> newestFirst) {
        if (newestFirst.size() < 2 || newestFirst.get(0).status() != HousingStatus.IN_RESIDENTIAL_REHAB) {
            return false;
        }
        HousingStatus before = newestFirst.get(1).status();
        return before == HousingStatus.SETTLED_TENANCY || before == HousingStatus.HOUSING_FIRST_TENANCY;
    }

    static int pageSize(int requested, Violations v) {
        if (requested < 0) {
            v.add("page_size", "must not be negative");
            return DEFAULT_PAGE_SIZE;
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    static HousingCursor cursor(String pageToken, String personId, Violations v) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        Optional<String[]> parts = PageTokens.decode(pageToken, personId);
        if (parts.isPresent()) {
            try {
                return new HousingCursor(LocalDate.parse(parts.get()[0]), parts.get()[1]);
            } catch (DateTimeException e) {
                // fall through
            }
        }
        v.add("page_token", "is not a page token of this list (pass next_page_token unchanged, with the same parent)");
        return null;
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot record or read housing situations");
        }
    }
}
