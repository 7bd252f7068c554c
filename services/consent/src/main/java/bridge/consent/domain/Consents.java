package bridge.consent.domain;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Recording and listing a person's consents.
 *
 * <p>Visibility (until decisions are wired in): an agency lists the consents it recorded itself.
 * The PLATFORM agency sees no personal data. Expiry is not stored: it is computed on every read
 * from the service clock, so a consent stops being active the moment its end passes.
 */
public final class Consents {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_REQUEST_ID_LENGTH = 128;

    private final ConsentRepository consents;
    private final Clock clock;
    private final Supplier<String> ids;

    public Consents(ConsentRepository consents, Clock clock, Supplier<String> ids) {
        this.consents = consents;
        this.clock = clock;
        this.ids = ids;
    }

    public Consent record(Caller caller, String personId, NewConsent request, String requestId) {
        return record(caller, personId, request, requestId, new Violations());
    }

    /**
     * Records a consent for the person; {@code mappingViolations} holds what the adapter already
     * found (a malformed parent, a missing consent, an impossible timestamp), so that the caller
     * hears of every problem at once. Nothing is written unless everything is valid.
     */
    public Consent record(Caller caller, String personId, NewConsent request, String requestId,
                          Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        // stored with millisecond precision: what we return must equal what a later read returns
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        NewConsent c = request == null ? null : truncated(request);
        if (c == null) {
            v.add("consent", "is required");
        } else {
            ConsentRules.validate(c, now, "consent", v);
        }
        if (requestId != null && requestId.length() > MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        String id = ids.get();
        Consent consent = new Consent(id, personId,
                c.recipients().stream().map(r -> r.isNamedAgency() ? Recipient.agency(r.agency().strip()) : r).toList(),
                c.categories(), c.purposes(),
                c.validFrom() == null ? now : c.validFrom(), c.validUntil(), c.method(),
                c.capacityNote() == null ? "" : c.capacityNote(),
                ConsentState.ACTIVE, Actor.of(caller), now, 1);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        Consent stored = consents.insertOnce(consent, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id",
                    "was already used for a consent of another person");
        }
        return stored.asOf(clock.instant());
    }

    /** The consents the caller's agency recorded for the person, oldest first (then by id). */
    public ConsentPage list(Caller caller, String personId, int pageSize, String pageToken, Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        int size = pageSize(pageSize, v);
        ConsentCursor after = personId == null ? null : cursor(pageToken, personId, v);
        v.throwIfAny();
        List<Consent> found = consents.findRecordedBy(personId, caller.agency(), after, size + 1);
        List<Consent> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            Consent last = page.getLast();
            next = PageTokens.encode(personId, Long.toString(last.createdAt().toEpochMilli()), last.id());
        }
        Instant now = clock.instant();
        return new ConsentPage(page.stream().map(x -> x.asOf(now)).toList(), next);
    }

    static int pageSize(int requested, Violations v) {
        if (requested < 0) {
            v.add("page_size", "must not be negative");
            return DEFAULT_PAGE_SIZE;
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    static ConsentCursor cursor(String pageToken, String personId, Violations v) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        Optional<String[]> parts = PageTokens.decode(pageToken, personId);
        if (parts.isPresent()) {
            try {
                return new ConsentCursor(Instant.ofEpochMilli(Long.parseLong(parts.get()[0])), parts.get()[1]);
            } catch (NumberFormatException | DateTimeException e) {
                // fall through
            }
        }
        v.add("page_token", "is not a page token of this list (pass next_page_token unchanged, with the same parent)");
        return null;
    }

    private static NewConsent truncated(NewConsent c) {
        return new NewConsent(c.recipients(), c.categories(), c.purposes(),
                c.validFrom() == null ? null : c.validFrom().truncatedTo(ChronoUnit.MILLIS),
                c.validUntil() == null ? null : c.validUntil().truncatedTo(ChronoUnit.MILLIS),
                c.method(), c.capacityNote());
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot record or read consents");
        }
    }
}
