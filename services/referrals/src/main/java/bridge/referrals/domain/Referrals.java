package bridge.referrals.domain;

import bridge.support.paging.PageTokens;
import bridge.support.consent.ConsentDecisions;
import bridge.support.people.PersonVisibility;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>Sharing with the receiver: a referral carries the sender's information (its reason, the
 * pathway's data) to the receiving agency. The consent service decides only for the agency that
 * asks (ADR 0004), so the question "may the receiver have this, for purpose REFERRAL?" is asked as
 * the receiver, every time the receiver reads or acts: without an allowing decision covering every
 * category of {@link Pathway#sharedCategories()} the receiver sees the envelope only (it knows a
 * referral is addressed to it, not what it says) and its transitions are FAILED_PRECONDITION naming
 * the missing categories, with nothing written.
 *
 * <p>Audit: every transition is in the referral's history (who, agency, when, from, to, reason),
 * written in the same single conditional update as the status, so no transition exists without its
 * record; every decision about the receiver's access is appended by the consent service to its
 * hash-chained audit trail when asked. No separate access record is written here.
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
    private ReferralEvents events = ReferralEvents.NONE;
    private LiaisonHandovers handovers = LiaisonHandovers.UNCONFIGURED;

    /** The role that may read aggregate measures (any agency, platform included: no personal data). */
    public static final String COMMISSIONER_ROLE = "commissioner";
    /** The longest span of months one metrics request covers. */
    public static final int MAX_METRICS_MONTHS = 24;

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

    /** Who hears of what happened (set once, when wired). */
    public Referrals withEvents(ReferralEvents events) {
        this.events = events;
        return this;
    }

    /** Who the duty-to-refer and release → benefits referrals are handed over to (set once, when wired). */
    public Referrals withHandovers(LiaisonHandovers handovers) {
        this.handovers = handovers;
        return this;
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
        // stored with millisecond precision: what we return must equal what a later read returns
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        java.time.LocalDate today = java.time.LocalDate.ofInstant(now, TimerPolicy.ZONE);
        if (request == null) {
            v.add("referral", "is required");
        } else {
            ReferralRules.validate(request, caller.agency(), "referral", v);
            PathwayRules.validate(request.pathway(), request.details(), today, "referral.", v);
            EngagementRules.validatePlan(request.plan(), "referral.disengagement_plan", v);
        }
        if (requestId != null && requestId.length() > MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        if (request != null && request.pathway() != null && request.pathway().isHandedOver()
                && (requestId == null || requestId.isBlank())) {
            // without it a hand-over interrupted by an outage could be neither completed nor told apart from a new one
            v.add("request_id", "is required on this pathway: a retry with it completes the hand-over to the liaison service");
        }
        v.throwIfAny();
        PathwayRules.checkTiming(request.details(), today);
        people.requireVisible(request.personId());
        String id = ids.get();
        Referral referral = new Referral(id, request.personId(), request.pathway(), Actor.of(caller),
                request.performerAgency().strip(), ReferralStatus.REQUESTED,
                request.reason() == null ? "" : request.reason(), now, now, 1, List.of(), request.details(),
                Engagement.of(request.plan()), Set.of(),
                request.pathway().isHandedOver() ? Handover.pending("not attempted yet") : null);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        Referral stored = referrals.insertOnce(referral, key);
        if (!stored.personId().equals(request.personId())) {
            throw InvalidArgumentException.of("request_id", "was already used for a referral of another person");
        }
        boolean pending = stored.handover() != null && !stored.handover().isDone();
        if (pending) {
            stored = handOver(stored);
        }
        // "sent" once the referral is complete: for a handed-over pathway, when its hand-over is done
        if (stored.id().equals(id) || pending) {
            events.sent(stored);
        } else {
            events.retried(stored);
        }
        return stored;
    }

    /**
     * The hand-over, within the sender's request (only then is the sender's token at hand to call the
     * liaison service as the sender). Done: recorded on the referral. The liaison service cannot
     * answer: the referral stays, pending, and the request is UNAVAILABLE; the retry with the same
     * request_id completes it (the liaison service recognises the repeat). The liaison service
     * refuses: the referral is removed again and the refusal goes back to the caller, so a corrected
     * retry starts afresh.
     */
    private Referral handOver(Referral stored) {
        List<String> records;
        try {
            records = handovers.handOver(stored);
        } catch (bridge.support.errors.UnavailableException e) {
            referrals.recordHandover(stored.id(), Handover.pending(e.getMessage()));
            throw new bridge.support.errors.UnavailableException("REFERRAL_HANDOVER_PENDING",
                    "referrals/" + stored.id() + " is stored but its hand-over did not complete (" + e.getMessage()
                            + "); retry with the same request_id to complete it");
        } catch (bridge.support.errors.BridgeException e) {
            referrals.removeRefusedHandover(stored.id());
            throw e;
        }
        Handover done = Handover.done(records);
        if (!referrals.recordHandover(stored.id(), done)) {
            // a concurrent retry completed it first: the liaison service returned the same records to both
            return referrals.findById(stored.id()).orElseThrow();
        }
        return stored.withHandover(done);
    }

    /**
     * A referral as the caller may see it. Its sender sees it whole (its own record). Its receiver
     * sees the envelope (ids, pathway, status, history) always, and the sender's reason and the
     * pathway's data only under an allowing decision for purpose REFERRAL covering every category
     * the pathway shares (asked afresh, audited by the consent service); what is denied is named in
     * {@link Referral#withheld()}. Any other agency sees it only under an allowing REFERRALS decision
     * for the caller's purpose, and its content only if the pathway's categories are allowed too;
     * otherwise "not found", the same answer as for a referral that does not exist.
     */
    public Referral get(Caller caller, String id, Purpose purpose) {
        denyPlatform(caller);
        Referral r = referrals.findById(id).orElseThrow(() -> notFound(id));
        if (r.requester().agency().equals(caller.agency())) {
            return r.asSeenByAgency(caller.agency());
        }
        if (r.performerAgency().equals(caller.agency())) {
            return r.withholding(denied(decisions.decide(r.personId(), r.pathway().sharedCategories(), Purpose.REFERRAL),
                    r.pathway()));
        }
        Decisions d = decisions.decide(r.personId(), r.pathway().sharedCategories(), purpose);
        if (!d.allows(DataCategory.REFERRALS)) {
            throw notFound(id);
        }
        return r.withholding(denied(d, r.pathway())).asSeenByAgency(caller.agency());
    }

    /** The pathway's categories the decision does not allow. */
    static Set<DataCategory> denied(Decisions d, Pathway pathway) {
        Set<DataCategory> out = EnumSet.noneOf(DataCategory.class);
        pathway.sharedCategories().stream().filter(c -> !d.allows(c)).forEach(out::add);
        return out;
    }

    /**
     * Every referral of a page as the caller may see it (see {@link #get}): one decision for the
     * received ones (purpose REFERRAL), the given one for other agencies' referrals.
     */
    private List<Referral> asSeenBy(Caller caller, String personId, List<Referral> page, Decisions others) {
        Set<DataCategory> received = EnumSet.noneOf(DataCategory.class);
        page.stream().filter(r -> r.performerAgency().equals(caller.agency()) && !r.requester().agency().equals(caller.agency()))
                .forEach(r -> received.addAll(r.pathway().sharedCategories()));
        Decisions forReceived = received.isEmpty() ? null : decisions.decide(personId, received, Purpose.REFERRAL);
        return page.stream().map(r -> {
            if (r.requester().agency().equals(caller.agency())) {
                return r.asSeenByAgency(caller.agency());
            }
            if (r.performerAgency().equals(caller.agency())) {
                return r.withholding(denied(forReceived, r.pathway()));
            }
            return r.withholding(denied(others, r.pathway())).asSeenByAgency(caller.agency());
        }).toList();
    }

    /** Everything any pathway shares: asked once when a list holds other agencies' referrals. */
    static final Set<DataCategory> ALL_SHARED = allShared();

    private static Set<DataCategory> allShared() {
        Set<DataCategory> all = EnumSet.noneOf(DataCategory.class);
        for (Pathway p : Pathway.values()) {
            all.addAll(p.sharedCategories());
        }
        return java.util.Collections.unmodifiableSet(all);
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
        Decisions others = othersExist ? decisions.decide(personId, ALL_SHARED, purpose) : null;
        boolean othersAllowed = others != null && others.allows(DataCategory.REFERRALS);
        List<Referral> found = referrals.findAbout(personId, othersAllowed ? null : caller.agency(), after, size + 1);
        List<Referral> page = asSeenBy(caller, personId, found.subList(0, Math.min(size, found.size())), others);
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
        if (t.party() == Transition.Party.RECEIVER) {
            requireSharingAllowed(current);
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
        events.moved(updated, entry);
        return updated;
    }

    /**
     * The receiving agency acts on a referral only when the person's consent (or a recorded legal
     * basis) lets it receive what the pathway shares, for purpose REFERRAL: asked afresh as the
     * receiver (the consent service audits the decision), fail closed, nothing written otherwise.
     */
    private void requireSharingAllowed(Referral r) {
        Set<DataCategory> denied = denied(decisions.decide(r.personId(), r.pathway().sharedCategories(), Purpose.REFERRAL),
                r.pathway());
        if (!denied.isEmpty()) {
            throw new FailedPreconditionException("REFERRAL_SHARING_NOT_ALLOWED", "referrals/" + r.id()
                    + " cannot be acted on by the receiving agency: no consent or legal basis lets it receive "
                    + denied.stream().map(Enum::name).sorted().collect(java.util.stream.Collectors.joining(", "))
                    + " for purpose REFERRAL (record the person's consent naming this agency, or a legal basis)");
        }
    }

    /**
     * Aggregate measures ({@link ReferralMetrics}) of the referrals sent in the months
     * [{@code from}, {@code to}], optionally for one pathway and/or receiving agency. Only callers with
     * the {@value #COMMISSIONER_ROLE} role; counts and rates only, so no consent decision is involved.
     */
    public List<ReferralMetrics.Row> metrics(Caller caller, java.time.YearMonth from, java.time.YearMonth to,
                                             Pathway pathway, String agency, Violations mappingViolations) {
        if (!caller.hasRole(COMMISSIONER_ROLE)) {
            throw new PermissionDeniedException("COMMISSIONER_ROLE_REQUIRED",
                    "referral metrics are for commissioners (realm role " + COMMISSIONER_ROLE + ")");
        }
        Violations v = mappingViolations;
        if (from == null) {
            v.add("start_month", "is required, as YYYY-MM (e.g. 2026-03)");
        }
        if (to == null) {
            v.add("end_month", "is required, as YYYY-MM (e.g. 2026-03)");
        }
        if (from != null && to != null) {
            if (to.isBefore(from)) {
                v.add("end_month", "must not be before start_month");
            } else if (from.plusMonths(MAX_METRICS_MONTHS).isBefore(to.plusMonths(1))) {
                v.add("end_month", "at most " + MAX_METRICS_MONTHS + " months from start_month");
            }
        }
        v.throwIfAny();
        return metrics(from, to, pathway, agency);
    }

    /** The measures without a caller: for the service's own Micrometer gauges. */
    public List<ReferralMetrics.Row> metrics(java.time.YearMonth from, java.time.YearMonth to, Pathway pathway, String agency) {
        Instant start = from.atDay(1).atStartOfDay(TimerPolicy.ZONE).toInstant();
        Instant end = to.plusMonths(1).atDay(1).atStartOfDay(TimerPolicy.ZONE).toInstant();
        return ReferralMetrics.compute(referrals.findSentBetween(start, end, pathway, agency),
                java.time.LocalDate.ofInstant(clock.instant(), TimerPolicy.ZONE));
    }

    /** Statuses in which the receiver sees the person and records appointments. */
    static final Set<ReferralStatus> ENGAGED = EnumSet.of(ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS,
            ReferralStatus.ON_HOLD);

    /**
     * The receiving agency records an appointment (new when {@code appointmentId} is empty, else the
     * outcome of an offered one). Checks in the order of {@link #transition}; then: the referral is
     * accepted, in progress or on hold; an attended or missed appointment is not in the future and is
     * final. When the person has now missed the plan's number in a row, its steps are raised — in the
     * same single conditional write, so the raise is never lost or doubled.
     */
    public Referral recordAppointment(Caller caller, String id, String etag, String appointmentId, Instant start,
                                      Appointment.Outcome outcome, Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        EngagementRules.validateAppointment(etag, appointmentId, start, outcome, now, v);
        v.throwIfAny();
        Referral current = receiversReferral(caller, id, "record appointments on", etag);
        if (!ENGAGED.contains(current.status())) {
            throw new FailedPreconditionException("REFERRAL_NOT_ENGAGED", "referrals/" + id + " is "
                    + current.status().fhirCode() + ": appointments are recorded once it is accepted, until it ends");
        }
        Engagement e = current.engagement();
        java.util.List<Appointment> appointments = new java.util.ArrayList<>(e.appointments());
        Actor by = Actor.of(caller);
        if (appointmentId == null || appointmentId.isEmpty()) {
            appointments.add(new Appointment(ids.get(), start.truncatedTo(ChronoUnit.MILLIS), outcome, by, now));
        } else {
            Appointment offered = appointments.stream().filter(a -> a.id().equals(appointmentId)).findFirst()
                    .orElseThrow(() -> InvalidArgumentException.of("appointment_id", "names no appointment of referrals/" + id));
            if (offered.outcome().isFact()) {
                throw new FailedPreconditionException("APPOINTMENT_OUTCOME_FINAL", "appointment " + appointmentId + " was "
                        + offered.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": that is not changed afterwards");
            }
            Instant when = start == null ? offered.start() : start.truncatedTo(ChronoUnit.MILLIS);
            if (outcome.isFact() && when.isAfter(now)) {
                throw InvalidArgumentException.of("start_time", "must not be in the future for an attended or missed appointment");
            }
            appointments.replaceAll(a -> a.id().equals(appointmentId) ? new Appointment(a.id(), when, outcome, by, now) : a);
        }
        Engagement after = e.with(appointments, e.raised());
        java.util.List<DisengagementPlan.Raised> raised = new java.util.ArrayList<>(e.raised());
        // raised when the count in a row reaches the plan's number (not again on further misses)
        if (outcome == Appointment.Outcome.MISSED && after.missedInARow() == e.plan().missedInARow()
                && e.missedInARow() < e.plan().missedInARow()) {
            e.plan().steps().forEach(step -> raised.add(new DisengagementPlan.Raised(step, now, null, null, null)));
        }
        Referral updated = current.withEngagement(after.with(appointments, raised), now);
        if (!referrals.applyEngagement(updated, current.version())) {
            throw staleEtag(id, etag);
        }
        events.appointmentRecorded(current, updated);
        return updated;
    }

    /** The receiving agency records that the oldest raised, not yet done step of this kind was done. */
    public Referral recordReengagementStep(Caller caller, String id, String etag, DisengagementPlan.Step step, String note,
                                           Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        EngagementRules.validateStep(etag, step, note, v);
        v.throwIfAny();
        Referral current = receiversReferral(caller, id, "record re-engagement on", etag);
        Engagement e = current.engagement();
        int open = -1;
        for (int i = 0; i < e.raised().size() && open < 0; i++) {
            if (e.raised().get(i).step() == step && !e.raised().get(i).isDone()) {
                open = i;
            }
        }
        if (open < 0) {
            throw new FailedPreconditionException("NO_RAISED_STEP", "referrals/" + id + " has no raised "
                    + step.name() + " step that is not done yet");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        java.util.List<DisengagementPlan.Raised> raised = new java.util.ArrayList<>(e.raised());
        DisengagementPlan.Raised r = raised.get(open);
        raised.set(open, new DisengagementPlan.Raised(r.step(), r.raisedAt(), now, Actor.of(caller), note == null ? "" : note));
        Referral updated = current.withEngagement(e.with(e.appointments(), raised), now);
        if (!referrals.applyEngagement(updated, current.version())) {
            throw staleEtag(id, etag);
        }
        return updated;
    }

    /** The referral, when the caller is its receiver, may have what it shares, and read the current etag. */
    private Referral receiversReferral(Caller caller, String id, String verb, String etag) {
        Referral current = referrals.findById(id).orElseThrow(() -> notFound(id));
        if (!current.isVisibleTo(caller.agency())) {
            throw notFound(id);
        }
        if (!current.isParty(caller.agency(), Transition.Party.RECEIVER)) {
            throw new PermissionDeniedException("WRONG_PARTY", "only the receiving agency may " + verb + " referrals/" + id);
        }
        requireSharingAllowed(current);
        if (!etag.equals(current.etag())) {
            throw staleEtag(id, etag);
        }
        return current;
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
        List<Overdue> page = withheldAsNeeded(all.subList(0, Math.min(size, all.size())));
        String next = "";
        if (all.size() > size) {
            Overdue last = page.getLast();
            next = PageTokens.encode("overdue:" + caller.agency(), Long.toString(last.due().toEpochMilli()), last.referral().id());
        }
        return new OverduePage(page, next);
    }

    /** The receiver's overdue referrals with content only where a REFERRAL decision allows it (one per person). */
    private List<Overdue> withheldAsNeeded(List<Overdue> page) {
        Map<String, Set<DataCategory>> byPerson = new HashMap<>();
        page.forEach(o -> byPerson.computeIfAbsent(o.referral().personId(), k -> EnumSet.noneOf(DataCategory.class))
                .addAll(o.referral().pathway().sharedCategories()));
        Map<String, Decisions> decided = new HashMap<>();
        byPerson.forEach((person, categories) -> decided.put(person, decisions.decide(person, categories, Purpose.REFERRAL)));
        return page.stream().map(o -> new Overdue(o.referral().withholding(
                denied(decided.get(o.referral().personId()), o.referral().pathway())), o.timer(), o.due())).toList();
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
