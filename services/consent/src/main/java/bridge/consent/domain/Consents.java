package bridge.consent.domain;

import bridge.support.errors.ConflictException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import bridge.support.paging.PageTokens;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The consent registry: recording, reading, amending and withdrawing a person's consents.
 *
 * <p>Who may do what:
 * <ul>
 *   <li>record: any agency except PLATFORM;</li>
 *   <li>read (get, list, versions): the agency that recorded the consent, an agency that is a
 *       recipient of it (named, or by its type), or a data-protection officer. Anyone else is told
 *       "not found", exactly as for a consent that does not exist, so that existence does not leak.
 *       PLATFORM callers without the DPO role are refused outright (PERMISSION_DENIED, whatever the
 *       name: that answer says nothing about the consent);</li>
 *   <li>amend: only the agency that recorded it. A recipient, who can read it, is refused
 *       (PERMISSION_DENIED); an agency that cannot read it is told "not found";</li>
 *   <li>withdraw: the agency that recorded it, or a data-protection officer, for any consent.</li>
 * </ul>
 *
 * <p>Every change writes a new version; see {@link ConsentRepository#replaceCurrent}. Expiry and
 * "not yet valid" are never stored: they are computed on every read from the service clock.
 */
public final class Consents {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_REQUEST_ID_LENGTH = 128;
    static final int MAX_REASON_LENGTH = 1000;

    private final ConsentRepository consents;
    private final AgencyDirectory agencies;
    private final Clock clock;
    private final Supplier<String> ids;

    public Consents(ConsentRepository consents, AgencyDirectory agencies, Clock clock, Supplier<String> ids) {
        this.consents = consents;
        this.agencies = agencies;
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
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot record consents");
        }
        Violations v = mappingViolations;
        // stored with millisecond precision: what we return must equal what a later read returns
        Instant now = now();
        NewConsent c = request == null ? null : truncated(request);
        if (c == null) {
            v.add("consent", "is required");
        } else {
            ConsentRules.validate(c, now, agencies, "consent", v);
        }
        requestId(requestId, v);
        v.throwIfAny();
        String id = ids.get();
        Actor by = Actor.of(caller);
        Consent consent = new Consent(id, personId, normalised(c.recipients()), c.categories(), c.purposes(),
                c.validFrom() == null ? now : c.validFrom(), c.validUntil(), c.method(),
                c.capacityNote() == null ? "" : c.capacityNote(),
                ConsentState.ACTIVE, by, now, 1, now, by, null);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? null : caller.agency() + ":" + requestId;
        Consent stored = consents.insertOnce(consent, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id", "was already used for a consent of another person");
        }
        return stored.asOf(clock.instant());
    }

    /**
     * The current versions of the person's consents the caller may read (see the class comment),
     * oldest first (then by id).
     */
    public ConsentPage list(Caller caller, String personId, int pageSize, String pageToken, Violations mappingViolations) {
        denyPlatformUnlessDpo(caller);
        Violations v = mappingViolations;
        int size = pageSize(pageSize, v);
        ConsentCursor after = personId == null ? null : cursor(pageToken, personId, v);
        v.throwIfAny();
        boolean all = Roles.isDpo(caller);
        List<Consent> found = consents.findVisible(personId, all ? null : caller.agency(),
                all ? null : caller.agencyType(), after, size + 1);
        List<Consent> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            Consent last = page.getLast();
            next = PageTokens.encode(personId, Long.toString(last.createdAt().toEpochMilli()), last.id());
        }
        Instant now = clock.instant();
        return new ConsentPage(page.stream().map(x -> x.asOf(now)).toList(), next);
    }

    /** The current version, if the caller may read it; otherwise NOT_FOUND, as if it did not exist. */
    public Consent get(Caller caller, String personId, String consentId, Violations mappingViolations) {
        denyPlatformUnlessDpo(caller);
        mappingViolations.throwIfAny();
        return readable(caller, personId, consentId).asOf(clock.instant());
    }

    /** Every version, oldest first; all but the last are SUPERSEDED. */
    public List<Consent> versions(Caller caller, String personId, String consentId, Violations mappingViolations) {
        denyPlatformUnlessDpo(caller);
        mappingViolations.throwIfAny();
        Consent current = readable(caller, personId, consentId);
        List<Consent> history = consents.history(current);
        Instant now = clock.instant();
        List<Consent> out = new ArrayList<>(history.size());
        for (int i = 0; i < history.size(); i++) {
            Consent version = history.get(i);
            out.add(i < history.size() - 1 ? version.withState(ConsentState.SUPERSEDED) : version.asOf(now));
        }
        return out;
    }

    /**
     * Amends a consent: the fields named in the mask take their new values and a new version is
     * written. Only the recording agency may amend; a withdrawn consent cannot be amended (an expired
     * one can: that is how a consent is renewed). The etag must be the current version's.
     */
    public Consent amend(Caller caller, String personId, String consentId, ConsentAmendment amendment,
                         Violations mappingViolations) {
        denyPlatformUnlessDpo(caller);
        Violations v = mappingViolations;
        Set<String> mask = Set.of();
        if (amendment == null) {
            v.add("consent", "is required");
        } else {
            mask = mask(amendment.updateMask(), v);
            if (amendment.etag().isBlank()) {
                v.add("consent.etag", "is required: pass the etag of the version you read");
            }
        }
        v.throwIfAny();
        Consent current = readable(caller, personId, consentId);
        if (!current.isRecordedBy(caller)) {
            throw new PermissionDeniedException("NOT_RECORDING_AGENCY",
                    "only the agency that recorded this consent (" + current.recordedBy().agency() + ") may amend it");
        }
        if (current.isWithdrawn()) {
            throw new FailedPreconditionException("CONSENT_WITHDRAWN",
                    "the consent is WITHDRAWN: a withdrawn consent cannot be amended (record a new consent)");
        }
        checkEtag(amendment.etag(), current);

        Instant now = now();
        NewConsent in = truncated(amendment.values());
        NewConsent merged = new NewConsent(
                mask.contains("recipients") ? in.recipients() : current.recipients(),
                mask.contains("categories") ? in.categories() : current.categories(),
                mask.contains("purposes") ? in.purposes() : current.purposes(),
                mask.contains("valid_from") ? in.validFrom() : current.validFrom(),
                mask.contains("valid_until") ? in.validUntil() : current.validUntil(),
                mask.contains("method") ? in.method() : current.method(),
                mask.contains("capacity_note") ? in.capacityNote() : current.capacityNote());
        ConsentRules.validate(merged, now, agencies, "consent", v);
        Instant from = merged.validFrom() == null ? now : merged.validFrom();
        if (mask.contains("valid_until") && merged.validUntil() != null && !merged.validUntil().isAfter(now)
                && merged.validUntil().isAfter(from)) { // (ending before it starts is reported by the rules)
            v.add("consent.valid_until", "must be in the future (to end a consent now, withdraw it)");
        }
        v.throwIfAny();
        Consent next = new Consent(current.id(), current.personId(), normalised(merged.recipients()),
                merged.categories(), merged.purposes(), merged.validFrom() == null ? now : merged.validFrom(),
                merged.validUntil(), merged.method(), merged.capacityNote() == null ? "" : merged.capacityNote(),
                ConsentState.ACTIVE, current.recordedBy(), current.createdAt(), current.version() + 1,
                now, Actor.of(caller), null);
        return consents.replaceCurrent(current, next).asOf(clock.instant());
    }

    /**
     * Withdraws a consent with effect on the very next request: a new version in state WITHDRAWN is
     * written; decisions read only current versions. The recording agency or a data-protection
     * officer may withdraw; when an etag is given it must be the current version's.
     */
    public Consent withdraw(Caller caller, String personId, String consentId, String reason, String etag,
                            Violations mappingViolations) {
        denyPlatformUnlessDpo(caller);
        Violations v = mappingViolations;
        String why = reason == null ? "" : reason.strip();
        if (why.codePointCount(0, why.length()) > MAX_REASON_LENGTH) {
            v.add("reason", "at most " + MAX_REASON_LENGTH + " characters");
        }
        v.throwIfAny();
        Consent current = readable(caller, personId, consentId);
        if (!current.isRecordedBy(caller) && !Roles.isDpo(caller)) {
            throw new PermissionDeniedException("NOT_RECORDING_AGENCY",
                    "only the agency that recorded this consent (" + current.recordedBy().agency()
                            + ") or a data-protection officer may withdraw it");
        }
        if (current.isWithdrawn()) {
            throw new FailedPreconditionException("CONSENT_WITHDRAWN",
                    "the consent is already WITHDRAWN");
        }
        if (etag != null && !etag.isBlank()) {
            checkEtag(etag, current);
        }
        Instant now = now();
        Actor by = Actor.of(caller);
        Consent next = new Consent(current.id(), current.personId(), current.recipients(), current.categories(),
                current.purposes(), current.validFrom(), current.validUntil(), current.method(),
                current.capacityNote(), ConsentState.WITHDRAWN, current.recordedBy(), current.createdAt(),
                current.version() + 1, now, by, new Consent.Withdrawal(now, by, why));
        return consents.replaceCurrent(current, next).asOf(clock.instant());
    }

    private Consent readable(Caller caller, String personId, String consentId) {
        Optional<Consent> found = consents.findById(personId, consentId)
                .filter(c -> Roles.isDpo(caller) || c.isRecordedBy(caller) || c.isRecipient(caller));
        return found.orElseThrow(() -> new NotFoundException("CONSENT_NOT_FOUND",
                "people/" + personId + "/consents/" + consentId + " not found"));
    }

    private static void checkEtag(String etag, Consent current) {
        if (!etag.equals(current.etag())) {
            throw new ConflictException("ETAG_MISMATCH",
                    "the consent has changed since you read it (etag " + etag + " is not the current version's): "
                            + "read it again and retry");
        }
    }

    private static Set<String> mask(List<String> paths, Violations v) {
        if (paths.isEmpty()) {
            v.add("update_mask", "is required: name the fields to change, of " + ConsentAmendment.UPDATABLE);
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            if (p.equals("*")) {
                out.addAll(ConsentAmendment.UPDATABLE);
            } else if (ConsentAmendment.UPDATABLE.contains(p)) {
                out.add(p);
            } else {
                v.add("update_mask.paths[" + i + "]", "'" + p + "' is not a field an amendment may change; one of "
                        + ConsentAmendment.UPDATABLE + " or *");
            }
        }
        return out;
    }

    static int pageSize(int requested, Violations v) {
        if (requested < 0) {
            v.add("page_size", "must not be negative");
            return DEFAULT_PAGE_SIZE;
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
    }

    static void requestId(String requestId, Violations v) {
        if (requestId != null && requestId.length() > MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
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

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static List<Recipient> normalised(List<Recipient> recipients) {
        return recipients.stream().map(r -> r.isNamedAgency() ? Recipient.agency(r.agency().strip()) : r).toList();
    }

    private static NewConsent truncated(NewConsent c) {
        return new NewConsent(c.recipients(), c.categories(), c.purposes(),
                c.validFrom() == null ? null : c.validFrom().truncatedTo(ChronoUnit.MILLIS),
                c.validUntil() == null ? null : c.validUntil().truncatedTo(ChronoUnit.MILLIS),
                c.method(), c.capacityNote());
    }

    /** PLATFORM callers see no personal data; a data-protection officer's role opens oversight. */
    static void denyPlatformUnlessDpo(Caller caller) {
        if (caller.isPlatform() && !Roles.isDpo(caller)) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators see no personal data");
        }
    }
}
