package bridge.benefits.domain;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import java.util.List;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Opening and reading benefit claims.
 *
 * <p>Visibility (until consent decisions are wired in): only the agency that recorded a claim sees
 * it; anyone else is told "not found", exactly as for a claim that does not exist, so that
 * existence itself does not leak. The PLATFORM agency sees no personal data.
 */
public final class Claims {

    static final int MAX_REQUEST_ID_LENGTH = 128;

    private final ClaimRepository claims;
    private final ConsentDecisions decisions;
    private final Clock clock;
    private final Supplier<String> ids;

    public Claims(ClaimRepository claims, ConsentDecisions decisions, Clock clock, Supplier<String> ids) {
        this.claims = claims;
        this.decisions = decisions;
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
        // stored with millisecond precision: what we return must equal what a later read returns
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = ids.get();
        Claim claim = new Claim(id, personId, request.benefit(), ClaimStatus.PREPARING, Actor.of(caller), now, now, 1);
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

    private static NotFoundException notFound(String personId, String claimId) {
        return new NotFoundException("CLAIM_NOT_FOUND", "people/" + personId + "/claims/" + claimId + " not found");
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot open or read benefit claims");
        }
    }
}
