package bridge.consent.domain;

import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import bridge.support.paging.PageTokens;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sharing without consent ("break glass"): recording a legal basis, which allows at once, and the
 * data-protection officer's review of it, which upholds or revokes it (revocation takes effect on
 * the very next decision: decisions read legal bases on every request).
 *
 * <p>Who may do what: any agency except PLATFORM records; the recording agency and the recipient
 * agency list a person's legal bases (a DPO sees all); only a data-protection officer sees the review
 * queue and reviews, and never a legal basis they recorded themselves.
 */
public final class LegalBases {

    static final int MAX_NOTE_LENGTH = 4000;

    private final LegalBasisRepository legalBases;
    private final AgencyDirectory agencies;
    private final Clock clock;
    private final Supplier<String> ids;

    public LegalBases(LegalBasisRepository legalBases, AgencyDirectory agencies, Clock clock, Supplier<String> ids) {
        this.legalBases = legalBases;
        this.agencies = agencies;
        this.clock = clock;
        this.ids = ids;
    }

    public LegalBasis create(Caller caller, String personId, NewLegalBasis request, String requestId,
                             Violations mappingViolations) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot record legal bases");
        }
        Violations v = mappingViolations;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        NewLegalBasis b = request;
        if (b == null) {
            v.add("legal_basis", "is required");
        } else {
            b = new NewLegalBasis(b.type(), b.recipientAgency(), b.categories(), b.purposes(), b.justification(),
                    b.validUntil() == null ? null : b.validUntil().truncatedTo(ChronoUnit.MILLIS));
            LegalBasisRules.validate(b, now, agencies, "legal_basis", v);
        }
        Consents.requestId(requestId, v);
        v.throwIfAny();
        String id = ids.get();
        LegalBasis legalBasis = new LegalBasis(id, personId, b.type(), b.recipientAgency().strip(), b.categories(),
                b.purposes(), b.justification().strip(), b.validUntil(), ReviewState.PENDING_REVIEW,
                Actor.of(caller), now, null);
        String key = requestId == null || requestId.isBlank() ? null : caller.agency() + ":" + requestId;
        LegalBasis stored = legalBases.insertOnce(legalBasis, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id", "was already used for a legal basis of another person");
        }
        return stored;
    }

    /** The person's legal bases the caller's agency recorded or receives (all, for a DPO), oldest first. */
    public List<LegalBasis> list(Caller caller, String personId, Violations mappingViolations) {
        Consents.denyPlatformUnlessDpo(caller);
        mappingViolations.throwIfAny();
        boolean all = Roles.isDpo(caller);
        return legalBases.findByPerson(personId).stream()
                .filter(b -> all || b.recordedBy().agency().equals(caller.agency())
                        || b.recipientAgency().equals(caller.agency()))
                .toList();
    }

    /** The review queue: legal bases pending review, oldest first. Data-protection officers only. */
    public LegalBasisPage reviews(Caller caller, int pageSize, String pageToken, Violations mappingViolations) {
        requireDpo(caller, "see the review queue");
        Violations v = mappingViolations;
        int size = Consents.pageSize(pageSize, v);
        ConsentCursor after = Consents.cursor(pageToken, REVIEW_QUEUE, v);
        v.throwIfAny();
        List<LegalBasis> found = legalBases.findPendingReview(after, size + 1);
        List<LegalBasis> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            LegalBasis last = page.getLast();
            next = PageTokens.encode(REVIEW_QUEUE, Long.toString(last.createdAt().toEpochMilli()), last.id());
        }
        return new LegalBasisPage(page, next);
    }

    /** The list key page tokens of the review queue are bound to (no person id looks like it). */
    private static final String REVIEW_QUEUE = "legal-basis-reviews";

    /**
     * The DPO's review: UPHOLD keeps it allowing (PENDING_REVIEW or UPHELD → UPHELD); REVOKE stops it
     * at once (PENDING_REVIEW or UPHELD → REVOKED). A revoked legal basis stays revoked.
     */
    public LegalBasis review(Caller caller, String personId, String legalBasisId, ReviewOutcome outcome, String note,
                             Violations mappingViolations) {
        requireDpo(caller, "review legal bases");
        Violations v = mappingViolations;
        if (outcome == null) {
            v.add("outcome", "is required (UPHOLD or REVOKE)");
        }
        String n = note == null ? "" : note.strip();
        if (n.codePointCount(0, n.length()) > MAX_NOTE_LENGTH) {
            v.add("note", "at most " + MAX_NOTE_LENGTH + " characters");
        }
        v.throwIfAny();
        LegalBasis current = legalBases.findById(personId, legalBasisId)
                .orElseThrow(() -> new NotFoundException("LEGAL_BASIS_NOT_FOUND",
                        "people/" + personId + "/legalBases/" + legalBasisId + " not found"));
        if (current.recordedBy().subject().equals(caller.subject())
                && current.recordedBy().agency().equals(caller.agency())) {
            throw new PermissionDeniedException("SELF_REVIEW",
                    "a legal basis must be reviewed by someone other than the person who recorded it");
        }
        ReviewState target = outcome == ReviewOutcome.UPHOLD ? ReviewState.UPHELD : ReviewState.REVOKED;
        if (current.reviewState() == ReviewState.REVOKED || current.reviewState() == target) {
            throw new FailedPreconditionException("LEGAL_BASIS_" + current.reviewState().name(),
                    "the legal basis is already " + current.reviewState().name()
                            + (current.reviewState() == ReviewState.REVOKED ? ": a revoked legal basis stays revoked" : ""));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return legalBases.review(current, current.reviewed(target, new LegalBasis.Review(Actor.of(caller), now, n)));
    }

    private static void requireDpo(Caller caller, String what) {
        if (!Roles.isDpo(caller)) {
            throw new PermissionDeniedException("DATA_PROTECTION_OFFICER_ONLY",
                    "only a data-protection officer may " + what);
        }
    }
}
