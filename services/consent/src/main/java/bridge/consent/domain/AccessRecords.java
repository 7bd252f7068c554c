package bridge.consent.domain;

import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Caller;
import bridge.support.paging.PageTokens;
import java.util.List;
import java.util.Optional;

/**
 * Reading the audit trail: a person's access records (subject access) and verification of the chain.
 *
 * <p>Access records of a person: a data-protection officer, or an agency that recorded a consent or a
 * legal basis for the person (it works with them, and obtains the record for them). Any other
 * agency is told NOT_FOUND — the same answer as for a person nobody knows — so the answer never
 * reveals whether the person exists or has records. PLATFORM callers without the DPO role are
 * refused outright (PERMISSION_DENIED whatever the person, which reveals nothing either).
 *
 * <p>Verification: data-protection officers and platform operators; the result carries no personal
 * data (sequence numbers and hashes only).
 */
public final class AccessRecords {

    private final AuditTrail audit;
    private final DecisionInputs records;

    public AccessRecords(AuditTrail audit, DecisionInputs records) {
        this.audit = audit;
        this.records = records;
    }

    public AccessRecordPage list(Caller caller, String personId, int pageSize, String pageToken,
                                 Violations mappingViolations) {
        Consents.denyPlatformUnlessDpo(caller);
        Violations v = mappingViolations;
        int size = Consents.pageSize(pageSize, v);
        long before = personId == null ? Long.MAX_VALUE : before(pageToken, personId, v);
        v.throwIfAny();
        if (!Roles.isDpo(caller) && !records.forPerson(personId).anyRecordedBy(caller.agency())) {
            throw new NotFoundException("PERSON_NOT_FOUND", "people/" + personId + " not found");
        }
        List<AuditEntry> found = audit.aboutPerson(personId, before, size + 1);
        List<AuditEntry> page = found.subList(0, Math.min(size, found.size()));
        String next = "";
        if (found.size() > size) {
            String seq = Long.toString(page.getLast().sequence());
            next = PageTokens.encode(personId, seq, seq);
        }
        return new AccessRecordPage(page, next);
    }

    /** The full walk (see {@link #verify(Caller, boolean)}). */
    public AuditVerification verify(Caller caller) {
        return verify(caller, true);
    }

    /** {@code full}: the whole chain; otherwise only what is new since the last intact verification. */
    public AuditVerification verify(Caller caller, boolean full) {
        if (!Roles.isDpo(caller) && !caller.hasRole(Roles.PLATFORM_OPERATOR)) {
            throw new PermissionDeniedException("DATA_PROTECTION_OFFICER_OR_OPERATOR_ONLY",
                    "only a data-protection officer or a platform operator may verify the audit trail");
        }
        return full ? audit.verify() : audit.verifyNew();
    }

    private static long before(String pageToken, String personId, Violations v) {
        if (pageToken == null || pageToken.isEmpty()) {
            return Long.MAX_VALUE;
        }
        Optional<String[]> parts = PageTokens.decode(pageToken, personId);
        if (parts.isPresent() && parts.get()[0].equals(parts.get()[1])) {
            try {
                long seq = Long.parseLong(parts.get()[0]);
                if (seq > 0) {
                    return seq;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        v.add("page_token", "is not a page token of this list (pass next_page_token unchanged, with the same parent)");
        return Long.MAX_VALUE;
    }
}
