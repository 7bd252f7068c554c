package bridge.housing.domain;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import bridge.support.paging.PageTokens;
import bridge.support.people.PersonVisibility;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Release accommodation plans: made before release, accommodation secured later, alerts computed
 * on every read against the partnership's calendar day.
 *
 * <p>Visibility is that of housing situations (a plan is HOUSING information): the recording
 * agency always; other agencies only under an allowing HOUSING decision asked afresh; otherwise a
 * plan is "not found", exactly like one that does not exist. Securing accommodation is recorded by
 * whoever may see the plan (typically the housing officer on the prison's plan).
 */
public final class ReleasePlans {

    private final ReleasePlanRepository plans;
    private final ConsentDecisions decisions;
    private final PersonVisibility people;
    private final Clock clock;
    private final ZoneId calendarZone;
    private final Supplier<String> ids;
    private final int alertDays;

    /** @param alertDays a plan without accommodation is an alert this many days before release */
    public ReleasePlans(ReleasePlanRepository plans, ConsentDecisions decisions, PersonVisibility people, Clock clock,
                        ZoneId calendarZone, Supplier<String> ids, int alertDays) {
        if (alertDays < 0) {
            throw new IllegalArgumentException("alertDays must not be negative");
        }
        this.plans = plans;
        this.decisions = decisions;
        this.people = people;
        this.clock = clock;
        this.calendarZone = calendarZone;
        this.ids = ids;
        this.alertDays = alertDays;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(calendarZone));
    }

    public List<ReleaseAlert> alerts(ReleasePlan plan) {
        return ReleaseAlert.of(plan, today(), alertDays);
    }

    public ReleasePlan create(Caller caller, String personId, NewReleasePlan request, String requestId, Violations v) {
        denyPlatform(caller);
        if (request == null) {
            v.add("release_plan", "is required");
        } else {
            ReleasePlanRules.validate(request, today(), v);
        }
        if (requestId != null && requestId.length() > HousingHistory.MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + HousingHistory.MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        if (request.releaseDate() == null || personId == null) {
            throw new IllegalArgumentException("release date and person are required (reported by the adapter)");
        }
        people.requireVisible(personId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = ids.get();
        ReleasePlan plan = new ReleasePlan(id, personId, request.releaseDate(), request.releasingEstablishment(),
                request.localAuthorityCode(), ReleaseAlert.jurisdictionOf(request), null, request.referral(),
                request.note(), Actor.of(caller), now, now, 1);
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        ReleasePlan stored = plans.insertOnce(plan, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id", "was already used for a release plan of another person");
        }
        return stored;
    }

    public ReleasePlan get(Caller caller, String personId, String planId, Purpose purpose) {
        denyPlatform(caller);
        ReleasePlan plan = plans.find(personId, planId).orElseThrow(() -> notFound(personId, planId));
        if (!plan.recordedBy().agency().equals(caller.agency())
                && !decisions.decide(personId, List.of(DataCategory.HOUSING), purpose).allows(DataCategory.HOUSING)) {
            throw notFound(personId, planId);
        }
        return plan;
    }

    /** Records secured accommodation; {@code etag} (a version) guards against a lost update when given. */
    public ReleasePlan secure(Caller caller, String personId, String planId, NewAccommodation request, Long etag,
                              Violations v) {
        denyPlatform(caller);
        if (request == null) {
            v.add("accommodation", "is required");
        } else {
            ReleasePlanRules.validate(request, v);
        }
        v.throwIfAny();
        ReleasePlan plan = get(caller, personId, planId, Purpose.DIRECT_SUPPORT);
        if (etag != null && etag != plan.version()) {
            throw new ConflictException("ETAG_MISMATCH", "the release plan changed since it was read; read it again");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ReleasePlan changed = plan.withAccommodation(new Accommodation(request.type(), request.securedBy(), request.note(),
                Actor.of(caller), now), now);
        return plans.replaceIfVersion(changed).orElseThrow(() ->
                new ConflictException("ETAG_MISMATCH", "the release plan changed meanwhile; read it again"));
    }

    public ReleasePlanPage list(Caller caller, String personId, Purpose purpose, int pageSize, String pageToken, Violations v) {
        denyPlatform(caller);
        int size = HousingHistory.pageSize(pageSize, v);
        ReleasePlanCursor after = personId == null ? null : cursor(pageToken, personId, v);
        v.throwIfAny();
        if (pageToken == null || pageToken.isEmpty()) {
            if (plans.findForPerson(personId, caller.agency(), null, 1).isEmpty() && !people.isVisible(personId)) {
                throw new NotFoundException("PERSON_NOT_FOUND", "people/" + personId + " not found");
            }
        }
        boolean othersExist = plans.existsRecordedByOtherThan(personId, caller.agency());
        boolean othersAllowed = othersExist
                && decisions.decide(personId, List.of(DataCategory.HOUSING), purpose).allows(DataCategory.HOUSING);
        List<ReleasePlan> found = plans.findForPerson(personId, othersAllowed ? null : caller.agency(), after, size + 1);
        List<ReleasePlan> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            ReleasePlan last = page.getLast();
            next = PageTokens.encode(personId, last.releaseDate().toString(), last.id());
        }
        LocalDate today = today();
        return new ReleasePlanPage(page.stream().map(p -> new ReleasePlanPage.PlanWithAlerts(p,
                ReleaseAlert.of(p, today, alertDays))).toList(), next, othersExist && !othersAllowed);
    }

    /**
     * The caller agency's own plans releasing within the alert window that have an open alert,
     * soonest first. Only its own: other agencies' plans would need a decision per person, and the
     * agency that made the plan is the one that acts on it.
     */
    public ReleasePlanPage alertsOfAgency(Caller caller, int pageSize, String pageToken, Violations v) {
        denyPlatform(caller);
        int size = HousingHistory.pageSize(pageSize, v);
        String scope = "alerts:" + caller.agency();
        ReleasePlanCursor after = cursor(pageToken, scope, v);
        v.throwIfAny();
        LocalDate today = today();
        List<ReleasePlanPage.PlanWithAlerts> out = new ArrayList<>();
        ReleasePlanCursor at = after;
        boolean more = true;
        while (out.size() <= size && more) {
            List<ReleasePlan> batch = plans.findOfAgencyReleasing(caller.agency(), today, today.plusDays(alertDays), at, 100);
            more = batch.size() == 100;
            for (ReleasePlan p : batch) {
                at = new ReleasePlanCursor(p.releaseDate(), p.id());
                List<ReleaseAlert> alerts = ReleaseAlert.of(p, today, alertDays);
                if (!alerts.isEmpty()) {
                    out.add(new ReleasePlanPage.PlanWithAlerts(p, alerts));
                    if (out.size() > size) {
                        break;
                    }
                }
            }
        }
        String next = "";
        if (out.size() > size) {
            out = out.subList(0, size);
            ReleasePlan last = out.getLast().plan();
            next = PageTokens.encode(scope, last.releaseDate().toString(), last.id());
        }
        return new ReleasePlanPage(out, next, false);
    }

    static ReleasePlanCursor cursor(String pageToken, String scope, Violations v) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        Optional<String[]> parts = PageTokens.decode(pageToken, scope);
        if (parts.isPresent()) {
            try {
                return new ReleasePlanCursor(LocalDate.parse(parts.get()[0]), parts.get()[1]);
            } catch (DateTimeException e) {
                // fall through
            }
        }
        v.add("page_token", "is not a page token of this list (pass next_page_token unchanged, with the same parent)");
        return null;
    }

    private static NotFoundException notFound(String personId, String planId) {
        return new NotFoundException("RELEASE_PLAN_NOT_FOUND", "people/" + personId + "/releasePlans/" + planId + " not found");
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot record or read release plans");
        }
    }
}
