package bridge.referrals.domain;

import bridge.support.paging.PageTokens;
import bridge.support.consent.ConsentDecisions;
import bridge.support.people.PersonVisibility;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sending and reading referrals.
 *
 * <p>Visibility: the sending and the receiving agency always see a referral; any other agency only
 * under an allowing REFERRALS decision about the person for the caller's purpose, asked afresh on
 * every request. A hidden referral read by name is "not found", exactly as for a referral that does
 * not exist, so that existence itself does not leak; a list says REFERRALS was withheld (names
 * only, no content). The PLATFORM agency sees no personal data.
 */
public final class Referrals {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_REQUEST_ID_LENGTH = 128;

    private final ReferralRepository referrals;
    private final ConsentDecisions decisions;
    private final PersonVisibility people;
    private final Clock clock;
    private final Supplier<String> ids;
    private final TimerPolicy timers;

    public Referrals(ReferralRepository referrals, ConsentDecisions decisions, PersonVisibility people, Clock clock, Supplier<String> ids) {
        this(referrals, decisions, people, clock, ids, TimerPolicy.defaults());
    }

    public Referrals(ReferralRepository referrals, ConsentDecisions decisions, PersonVisibility people, Clock clock,
                     Supplier<String> ids, TimerPolicy timers) {
        this.timers = timers;
        this.referrals = referrals;
        this.decisions = decisions;
        this.people = people;
        this.clock = clock;
        this.ids = ids;
    }

    public Referral send(Caller caller, NewReferral request, String requestId) {
        return send(caller, request, requestId, new Violations());
    }

    /**
     * Sends a referral as REQUESTED; {@code mappingViolations} holds what the adapter already found
     * (a missing referral, a malformed person name), so that the caller hears of every problem at once.
     */
    public Referral send(Caller caller, NewReferral request, String requestId, Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        if (request == null) {
            v.add("referral", "is required");
        } else {
            ReferralRules.validate(request, caller.agency(), "referral", v);
        }
        if (requestId != null && requestId.length() > MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        // stored with millisecond precision: what we return must equal what a later read returns
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = ids.get();
        Referral referral = new Referral(id, request.personId(), request.pathway(), Actor.of(caller),
                request.performerAgency().strip(), ReferralStatus.REQUESTED,
                request.reason() == null ? "" : request.reason(), now, now, 1);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        Referral stored = referrals.insertOnce(referral, key);
        if (!stored.personId().equals(request.personId())) {
            throw InvalidArgumentException.of("request_id", "was already used for a referral of another person");
        }
        return stored;
    }

    /**
     * A referral is visible to its sender and its receiver; to any other agency only under an
     * allowing REFERRALS decision about the person for the caller's purpose; otherwise "not found",
     * the same answer as for a referral that does not exist.
     */
    public Referral get(Caller caller, String id, Purpose purpose) {
        denyPlatform(caller);
        Referral r = referrals.findById(id).orElseThrow(() -> notFound(id));
        if (!r.isVisibleTo(caller.agency()) && !decisions.decide(r.personId(), List.of(DataCategory.REFERRALS), purpose)
                .allows(DataCategory.REFERRALS)) {
            throw notFound(id);
        }
        return r;
    }

    /**
     * The referrals about the person the caller may see, newest first (then by id): those its agency
     * sent or received, and others only under an allowing REFERRALS decision, asked only when such
     * referrals exist. {@code mappingViolations} holds what the adapter already found (a malformed
     * parent), so that every problem is reported at once.
     */
    public ReferralPage list(Caller caller, String personId, Purpose purpose, int pageSize, String pageToken,
                             Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        int size = pageSize(pageSize, v);
        ReferralCursor after = personId == null ? null : cursor(pageToken, personId, v);
        v.throwIfAny();
        // A list about someone the caller holds nothing of and may not see is "not found", exactly
        // like a single record: no route reveals that a person exists (BOLA).
        if (pageToken == null || pageToken.isEmpty()) {
            if (referrals.findAbout(personId, caller.agency(), null, 1).isEmpty() && !people.isVisible(personId)) {
                throw new NotFoundException("PERSON_NOT_FOUND", "people/" + personId + " not found");
            }
        }
        boolean othersExist = referrals.existsNotInvolving(personId, caller.agency());
        boolean othersAllowed = othersExist
                && decisions.decide(personId, List.of(DataCategory.REFERRALS), purpose).allows(DataCategory.REFERRALS);
        List<Referral> found = referrals.findAbout(personId, othersAllowed ? null : caller.agency(), after, size + 1);
        List<Referral> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            Referral last = page.getLast();
            next = PageTokens.encode(personId, Long.toString(last.createdAt().toEpochMilli()), last.id());
        }
        return new ReferralPage(page, next, othersExist && !othersAllowed);
    }

    /**
     * Moves a referral along its lifecycle ({@link Transition}). In this order: the request is
     * validated (INVALID_ARGUMENT naming every bad field); an agency that is neither sender nor
     * receiver is told "not found" exactly as by {@link #get} for a missing referral; the other end
     * is PERMISSION_DENIED; a stale etag is ABORTED; a transition the table does not allow from the
     * current status is FAILED_PRECONDITION naming that status. Then one conditional write on the
     * version: of two concurrent transitions only one wins, the other is ABORTED.
     *
     * @param reason null for transitions that need none (ignored for those)
     */
    public Referral transition(Caller caller, String id, Transition t, String etag, StatusReason reason,
                               Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        ReferralRules.validateTransition(t, etag, reason, v);
        v.throwIfAny();
        Referral current = referrals.findById(id).orElseThrow(() -> notFound(id));
        if (!current.isVisibleTo(caller.agency())) {
            throw notFound(id);
        }
        if (!current.isParty(caller.agency(), t.party())) {
            throw new PermissionDeniedException("WRONG_PARTY", "only the " + (t.party() == Transition.Party.SENDER
                    ? "sending" : "receiving") + " agency may " + t.verb() + " referrals/" + id);
        }
        if (!etag.equals(current.etag())) {
            throw staleEtag(id, etag);
        }
        if (!t.isAllowedFrom(current.status())) {
            throw new FailedPreconditionException("ILLEGAL_TRANSITION", "referrals/" + id + " is "
                    + current.status().fhirCode() + ": it cannot " + t.verb() + " from there");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        HistoryEntry entry = new HistoryEntry(t, current.status(), t.to(), Actor.of(caller), now,
                t.needsReason() ? reason : null);
        Referral updated = current.after(entry);
        if (!referrals.applyTransition(updated, current.version(), entry)) {
            throw staleEtag(id, etag);
        }
        return updated;
    }

    private static ConflictException staleEtag(String id, String etag) {
        return new ConflictException("ETAG_MISMATCH", "referrals/" + id + " has changed since you read it (the etag "
                + "given is not the current version's): read it again and retry");
    }

    /**
     * The caller's agency's overdue work: referrals it received whose pathway timer ran out by now,
     * earliest due first, then by id. Its own referrals only, so no consent decision is involved.
     */
    public OverduePage listOverdue(Caller caller, int pageSize, String pageToken, Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        int size = pageSize(pageSize, v);
        Instant afterDue = null;
        String afterId = null;
        if (pageToken != null && !pageToken.isEmpty()) {
            Optional<String[]> parts = PageTokens.decode(pageToken, "overdue:" + caller.agency());
            try {
                afterDue = Instant.ofEpochMilli(Long.parseLong(parts.orElseThrow()[0]));
                afterId = parts.get()[1];
            } catch (RuntimeException e) {
                v.add("page_token", "is not a page token of this list (pass next_page_token unchanged)");
            }
        }
        v.throwIfAny();
        Instant now = clock.instant();
        java.util.Comparator<Overdue> order = java.util.Comparator.comparing(Overdue::due)
                .thenComparing(o -> o.referral().id());
        Instant fromDue = afterDue;
        String fromId = afterId;
        List<Overdue> all = referrals.findReceivedBy(caller.agency(), TimerPolicy.RUNNING, timers.earliestSendingThatCanBeDue(now))
                .stream()
                .map(r -> timers.overdue(r, now))
                .flatMap(Optional::stream)
                .filter(o -> fromDue == null || o.due().isAfter(fromDue)
                        || (o.due().equals(fromDue) && o.referral().id().compareTo(fromId) > 0))
                .sorted(order)
                .limit(size + 1L)
                .toList();
        List<Overdue> page = all.subList(0, Math.min(size, all.size()));
        String next = "";
        if (all.size() > size) {
            Overdue last = page.getLast();
            next = PageTokens.encode("overdue:" + caller.agency(), Long.toString(last.due().toEpochMilli()), last.referral().id());
        }
        return new OverduePage(page, next);
    }

    static int pageSize(int requested, Violations v) {
        if (requested < 0) {
            v.add("page_size", "must not be negative");
            return DEFAULT_PAGE_SIZE;
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    static ReferralCursor cursor(String pageToken, String personId, Violations v) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        Optional<String[]> parts = PageTokens.decode(pageToken, personId);
        if (parts.isPresent()) {
            try {
                return new ReferralCursor(Instant.ofEpochMilli(Long.parseLong(parts.get()[0])), parts.get()[1]);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        v.add("page_token", "is not a page token of this list (pass next_page_token unchanged, with the same parent)");
        return null;
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("REFERRAL_NOT_FOUND", "referrals/" + id + " not found");
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot send, read or list referrals");
        }
    }
}
