package bridge.benefits.domain;

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
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Opening and reading benefit claims.
 *
 * <p>Visibility: the agency that opened a claim always sees it; any other agency only under an
 * allowing BENEFITS decision of the consent service for the caller's purpose, asked afresh on every
 * request. A hidden claim read by name is "not found", exactly as for a claim that does not exist,
 * so that existence itself does not leak; a list says BENEFITS was withheld (names only, no
 * content). The PLATFORM agency sees no personal data.
 */
public final class Claims {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_REQUEST_ID_LENGTH = 128;
    static final int MAX_NOTE_LENGTH = 500;
    static final String QUEUED_FOR_DWP = "queued for DWP";

    private final ClaimRepository claims;
    private final ConsentDecisions decisions;
    private final PersonVisibility people;
    private final Clock clock;
    private final Supplier<String> ids;
    private final ClaimSubmissions submissions;

    public Claims(ClaimRepository claims, ConsentDecisions decisions, PersonVisibility people, Clock clock, Supplier<String> ids) {
        this(claims, decisions, people, clock, ids, claim -> {
            throw new IllegalStateException("no delivery to DWP configured");
        });
    }

    public Claims(ClaimRepository claims, ConsentDecisions decisions, PersonVisibility people, Clock clock, Supplier<String> ids,
                  ClaimSubmissions submissions) {
        this.submissions = submissions;
        this.claims = claims;
        this.decisions = decisions;
        this.people = people;
        this.clock = clock;
        this.ids = ids;
    }

    public Claim open(Caller caller, String personId, NewClaim request, String requestId) {
        return open(caller, personId, request, requestId, new Violations());
    }

    /**
     * Opens a claim as PREPARING; {@code mappingViolations} holds what the adapter already found (a
     * malformed parent), so that the caller hears of every problem at once.
     */
    public Claim open(Caller caller, String personId, NewClaim request, String requestId, Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        if (request == null) {
            v.add("claim", "is required");
        } else {
            ClaimRules.validate(request, "claim", v);
        }
        if (requestId != null && requestId.length() > MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        people.requireVisible(personId);
        // stored with millisecond precision: what we return must equal what a later read returns
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = ids.get();
        Claim claim = new Claim(id, personId, request.benefit(), ClaimStatus.PREPARING, Actor.of(caller), now, now, 1,
                List.of(new ClaimStatusChange(ClaimStatus.PREPARING, now, Actor.of(caller), "")), "", null);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        Claim stored = claims.insertOnce(claim, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id", "was already used for a claim of another person");
        }
        return stored;
    }

    /**
     * A claim is visible to the agency that opened it, and to any other agency only under an
     * allowing BENEFITS decision for the caller's purpose (asked afresh each time); otherwise "not
     * found", the same answer as for a claim that does not exist.
     */
    public Claim get(Caller caller, String personId, String claimId, Purpose purpose) {
        denyPlatform(caller);
        Claim c = claims.findById(claimId).orElseThrow(() -> notFound(personId, claimId));
        if (!c.personId().equals(personId)) {
            throw notFound(personId, claimId);
        }
        if (!c.recordedBy().agency().equals(caller.agency())
                && !decisions.decide(personId, List.of(DataCategory.BENEFITS), purpose).allows(DataCategory.BENEFITS)) {
            throw notFound(personId, claimId);
        }
        return c;
    }

    /**
     * The claims the caller may see for the person, newest first (then by id): those its agency
     * opened, and other agencies' only under an allowing BENEFITS decision, asked only when such
     * claims exist. {@code mappingViolations} holds what the adapter already found (a malformed
     * parent), so that every problem is reported at once.
     */
    public ClaimPage list(Caller caller, String personId, Purpose purpose, int pageSize, String pageToken,
                          Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        int size = pageSize(pageSize, v);
        ClaimCursor after = personId == null ? null : cursor(pageToken, personId, v);
        v.throwIfAny();
        // A list about someone the caller holds nothing of and may not see is "not found", exactly
        // like a single record: no route reveals that a person exists (BOLA).
        if (pageToken == null || pageToken.isEmpty()) {
            if (claims.findAbout(personId, caller.agency(), null, 1).isEmpty() && !people.isVisible(personId)) {
                throw new NotFoundException("PERSON_NOT_FOUND", "people/" + personId + " not found");
            }
        }
        boolean othersExist = claims.existsRecordedByOtherThan(personId, caller.agency());
        boolean othersAllowed = othersExist
                && decisions.decide(personId, List.of(DataCategory.BENEFITS), purpose).allows(DataCategory.BENEFITS);
        List<Claim> found = claims.findAbout(personId, othersAllowed ? null : caller.agency(), after, size + 1);
        List<Claim> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            Claim last = page.getLast();
            next = PageTokens.encode(personId, Long.toString(last.createdAt().toEpochMilli()), last.id());
        }
        return new ClaimPage(page, next, othersExist && !othersAllowed);
    }

    /**
     * Records that the claim moved on (e.g. the adviser heard from the Jobcentre that it was
     * awarded), appending a timestamped, attributed entry to its history. Only the agency that
     * opened the claim records its status; another agency that may read it under consent is
     * refused, one that may not is told "not found". {@code etag} (null: not checked) refuses a
     * change based on a stale read; the write itself is conditional on the version read here.
     */
    public Claim recordStatus(Caller caller, String personId, String claimId, ClaimStatus status, String note,
                              Long etag, Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        if (status == null) {
            v.add("status", "is required");
        }
        if (note != null && note.length() > MAX_NOTE_LENGTH) {
            v.add("note", "at most " + MAX_NOTE_LENGTH + " characters");
        }
        v.throwIfAny();
        Claim c = get(caller, personId, claimId, Purpose.DIRECT_SUPPORT);
        if (!c.recordedBy().agency().equals(caller.agency())) {
            throw new PermissionDeniedException("CLAIM_RECORDED_BY_ANOTHER_AGENCY",
                    "only the agency that opened the claim records its status");
        }
        if (etag != null && etag != c.version()) {
            throw new ConflictException("ETAG_MISMATCH", "the claim changed since it was read; read it again");
        }
        if (!c.status().next().contains(status)) {
            throw new FailedPreconditionException("CLAIM_STATUS_TRANSITION",
                    "a " + c.status() + " claim cannot become " + status + "; it may become " + c.status().next());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Claim changed = c.withStatus(new ClaimStatusChange(status, now, Actor.of(caller), note));
        return claims.replaceIfVersion(changed)
                .orElseThrow(() -> new ConflictException("ETAG_MISMATCH", "the claim changed meanwhile; read it again"));
    }

    /**
     * Submits a PREPARING claim to DWP: consent checked, the claim written as SUBMITTED (history:
     * queued for DWP), then handed to delivery (write first, deliver after). Nothing is sent without
     * the person's consent to share who they are (IDENTITY) and the claim itself (BENEFITS) with DWP
     * for the REFERRAL purpose: FAILED_PRECONDITION naming what is missing. Submitting again a claim
     * that is SUBMITTED but not yet received by DWP hands it to delivery again (delivery is
     * idempotent per claim), so a crash between the write and the hand-over loses nothing; consent
     * is asked again then too.
     */
    public Claim submit(Caller caller, String personId, String claimId, Long etag) {
        denyPlatform(caller);
        Claim c = get(caller, personId, claimId, Purpose.DIRECT_SUPPORT);
        if (!c.recordedBy().agency().equals(caller.agency())) {
            throw new PermissionDeniedException("CLAIM_RECORDED_BY_ANOTHER_AGENCY", "only the agency that opened the claim submits it");
        }
        // a retry of our own submission (not a SUBMITTED the adviser recorded by hand: that one DWP may hold already)
        boolean retry = c.status() == ClaimStatus.SUBMITTED && c.dwpClaimId().isEmpty()
                && c.history().getLast().note().equals(QUEUED_FOR_DWP);
        if (!retry && etag != null && etag != c.version()) {
            throw new ConflictException("ETAG_MISMATCH", "the claim changed since it was read; read it again");
        }
        if (!retry && c.status() != ClaimStatus.PREPARING) {
            throw new FailedPreconditionException("CLAIM_NOT_PREPARING", "only a PREPARING claim is submitted; this one is " + c.status());
        }
        var consent = decisions.decide(personId, List.of(DataCategory.IDENTITY, DataCategory.BENEFITS), Purpose.REFERRAL);
        List<String> missing = new java.util.ArrayList<>();
        if (!consent.allows(DataCategory.IDENTITY)) {
            missing.add("the person's consent to share who they are with DWP (IDENTITY for REFERRAL)");
        }
        if (!consent.allows(DataCategory.BENEFITS)) {
            missing.add("the person's consent to share the claim with DWP (BENEFITS for REFERRAL)");
        }
        if (!missing.isEmpty()) {
            throw new FailedPreconditionException("CONSENT_TO_SUBMIT_MISSING",
                    "the claim was not submitted: missing " + String.join(" and ", missing));
        }
        if (retry) {
            submissions.schedule(c);
            return c;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Claim submitted = claims.replaceIfVersion(c.withStatus(new ClaimStatusChange(ClaimStatus.SUBMITTED, now, Actor.of(caller),
                        QUEUED_FOR_DWP)))
                .orElseThrow(() -> new ConflictException("ETAG_MISMATCH", "the claim changed meanwhile; read it again"));
        submissions.schedule(submitted);
        return submitted;
    }

    /** DWP received the submitted claim (called by delivery); false when already recorded or gone. */
    public boolean receivedByDwp(String claimId, String dwpClaimId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Claim> c = claims.findById(claimId);
            if (c.isEmpty() || !c.get().dwpClaimId().isEmpty()) {
                return false;
            }
            if (claims.replaceIfVersion(c.get().receivedByDwp(dwpClaimId, clock.instant().truncatedTo(ChronoUnit.MILLIS))).isPresent()) {
                return true;
            }
        }
        throw new ConflictException("CLAIM_BUSY", "the claim kept changing while recording DWP's receipt");
    }

    /** Who status changes reported by DWP's system are attributed to in a claim's history. */
    public static final Actor DWP = new Actor("dwp-claims-api", "dwp", AgencyType.BENEFITS);

    /**
     * What DWP's system says about a claim it holds (called by status polling): a different status
     * is recorded in the history, attributed to {@link #DWP} (DWP decides, so its word is recorded
     * even where an adviser could not have made that move); a changed expected first payment date
     * is stored. Returns the claim as it now is when something changed, empty otherwise.
     */
    public Optional<Claim> reportedByDwp(String claimId, ClaimStatus status, java.time.LocalDate expectedFirstPayment) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Claim> found = claims.findById(claimId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Claim c = found.get();
            boolean statusChanged = status != null && status != c.status();
            boolean dateChanged = expectedFirstPayment != null && !expectedFirstPayment.equals(c.expectedFirstPayment());
            if (!statusChanged && !dateChanged) {
                return Optional.empty();
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            List<ClaimStatusChange> history = c.history();
            if (statusChanged) {
                history = new java.util.ArrayList<>(history);
                history.add(new ClaimStatusChange(status, now, DWP, "reported by DWP"));
            }
            // one version step however much changed: the write is conditional on the version read
            Claim changed = new Claim(c.id(), c.personId(), c.benefit(), statusChanged ? status : c.status(), c.recordedBy(),
                    c.createdAt(), now, c.version() + 1, history, c.dwpClaimId(),
                    dateChanged ? expectedFirstPayment : c.expectedFirstPayment());
            Optional<Claim> stored = claims.replaceIfVersion(changed);
            if (stored.isPresent()) {
                return stored;
            }
        }
        throw new ConflictException("CLAIM_BUSY", "the claim kept changing while recording DWP's report");
    }

    static int pageSize(int requested, Violations v) {
        if (requested < 0) {
            v.add("page_size", "must not be negative");
            return DEFAULT_PAGE_SIZE;
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    static ClaimCursor cursor(String pageToken, String personId, Violations v) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        Optional<String[]> parts = PageTokens.decode(pageToken, personId);
        if (parts.isPresent()) {
            try {
                return new ClaimCursor(Instant.ofEpochMilli(Long.parseLong(parts.get()[0])), parts.get()[1]);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        v.add("page_token", "is not a page token of this list (pass next_page_token unchanged, with the same parent)");
        return null;
    }

    private static NotFoundException notFound(String personId, String claimId) {
        return new NotFoundException("CLAIM_NOT_FOUND", "people/" + personId + "/claims/" + claimId + " not found");
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot open, read or list benefit claims");
        }
    }
}
