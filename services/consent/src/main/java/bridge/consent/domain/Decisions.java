package bridge.consent.domain;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.BridgeException;
import bridge.support.errors.UnavailableException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The policy decision point: reads the person's current consents and legal bases for this request
 * (no cache, so a withdrawal or revocation counts from the very next request), asks
 * {@link ConsentPolicy}, appends ONE audit entry for the whole request, and only then answers.
 *
 * <p>Fail closed: if the consents cannot be read or the audit entry cannot be appended, the request
 * fails (UNAVAILABLE) and no decision is given — a decision that is not in the audit trail never
 * leaves the service. Denies are recorded exactly as allows are.
 */
public final class Decisions {

    /** As many as there are data categories: one BatchDecide can cover a whole record. */
    public static final int MAX_CATEGORIES = 12;

    private static final System.Logger log = System.getLogger(Decisions.class.getName());

    private final DecisionInputs inputs;
    private final AuditTrail audit;
    private final Clock clock;

    public Decisions(DecisionInputs inputs, AuditTrail audit, Clock clock) {
        this.inputs = inputs;
        this.audit = audit;
        this.clock = clock;
    }

    /** Decide for one category (field names of DecideRequest). */
    public Decision decide(Caller caller, String personId, DataCategory category, Purpose purpose, String requestId,
                           Violations mappingViolations) {
        Violations v = mappingViolations;
        if (category == null) {
            v.add("category", "must name a data category (UNSPECIFIED or unrecognised values are not one)");
        }
        purpose(purpose, v);
        v.throwIfAny();
        return decideAndRecord(caller, personId, List.of(category), purpose, requestId).getFirst();
    }

    /** Decide for several categories, answered in request order, recorded as one audit entry. */
    public List<Decision> decideBatch(Caller caller, String personId, List<DataCategory> categories, Purpose purpose,
                                      String requestId, Violations mappingViolations) {
        Violations v = mappingViolations;
        if (categories.size() > MAX_CATEGORIES) {
            v.add("categories", "at most " + MAX_CATEGORIES + " categories");
        } else {
            ConsentRules.nonEmptyDistinct(categories, "categories", "a data category", v);
        }
        purpose(purpose, v);
        v.throwIfAny();
        return decideAndRecord(caller, personId, categories, purpose, requestId);
    }

    private List<Decision> decideAndRecord(Caller caller, String personId, List<DataCategory> categories,
                                           Purpose purpose, String requestId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        PersonRecords records;
        try {
            records = inputs.forPerson(personId);
        } catch (RuntimeException e) {
            throw unavailable(e, "DECISION_UNAVAILABLE",
                    "the person's consents could not be read, so nothing is allowed: retry later");
        }
        List<Decision> decisions = ConsentPolicy.decide(caller, records.consents(), records.legalBases(), categories,
                purpose, now);
        try {
            audit.append(List.of(new AuditEvent(now, Actor.of(caller), personId, purpose, decisions, requestId)));
        } catch (RuntimeException e) {
            throw unavailable(e, "AUDIT_UNAVAILABLE",
                    "the decision could not be recorded in the audit trail, so it is not given: retry later");
        }
        return decisions;
    }

    private static RuntimeException unavailable(RuntimeException cause, String reason, String message) {
        if (cause instanceof BridgeException be) {
            return be;
        }
        log.log(Level.ERROR, reason + ": " + message, cause);
        return new UnavailableException(reason, message);
    }

    private static void purpose(Purpose purpose, Violations v) {
        if (purpose == null) {
            v.add("purpose", "must name a purpose (UNSPECIFIED or unrecognised values are not one)");
        }
    }
}
