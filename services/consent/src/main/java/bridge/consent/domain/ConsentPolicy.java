package bridge.consent.domain;

import static bridge.consent.domain.DenyReason.HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT;
import static bridge.consent.domain.DenyReason.NO_CONSENT;
import static bridge.consent.domain.DenyReason.PLATFORM_SEES_NO_PERSONAL_DATA;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * THE sharing policy of Bridge, in one place: may the caller's agency see another agency's
 * information of one data category about a person, for a purpose, now?
 *
 * <p>The rules, asked top to bottom; the first row that applies answers:
 * <pre>
 *  #  when                                                                  answer
 *  1  the caller's agency type is PLATFORM                                  deny  PLATFORM_SEES_NO_PERSONAL_DATA
 *  2  a consent of the person is IN FORCE, covers the category AND the      allow, basis = that consent (id + version)
 *     purpose, and NAMES THE CALLER
 *  3  a legal basis of the person is ACTIVE, names the caller's agency,     allow, basis = that legal basis
 *     and covers the category AND the purpose
 *  4  the caller is POLICE and the category is SUBSTANCE_USE,               deny  HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT
 *     MENTAL_HEALTH or PHYSICAL_HEALTH
 *  5  otherwise (default deny)                                              deny  NO_CONSENT
 *
 *  IN FORCE     the current version (not SUPERSEDED), not WITHDRAWN, valid_from &lt;= now &lt; valid_until
 *               (so withdrawn, expired and not-yet-valid consents never allow).
 *  NAMES THE    a recipient naming the caller's agency, or a recipient naming the caller's agency type
 *  CALLER       ("all HOUSING"). EXCEPTION: for SUBSTANCE_USE, MENTAL_HEALTH and PHYSICAL_HEALTH asked
 *               by a POLICE caller, only a recipient naming that police agency counts: "all POLICE"
 *               does not. (A consent that names all agencies of every type is just many type rows:
 *               none of them names the police agency.)
 *  ACTIVE       not REVOKED (PENDING_REVIEW counts: break glass works at once) and now &lt; valid_until.
 *               A legal basis names one agency; it allows police health data too (row 3 before row 4).
 * </pre>
 * When several consents (or legal bases) allow, the basis is the oldest (creation time, then id);
 * a consent is preferred to a legal basis because it is the person's own choice.
 *
 * <p>What this policy is NOT about: an agency always sees what it recorded itself; the data-owning
 * services enforce that before they ask, and never ask about their own records. Decide answers only
 * "may this agency see OTHER agencies' data", from consents and legal bases: there is no
 * "own record" basis here, on purpose, so that every allow names a consent or a legal basis.
 *
 * <p>The policy is a pure function: no clock, no storage, no cache. The caller passes the person's
 * current consents and legal bases as read for this very request, so a withdrawal or revocation
 * takes effect on the next request.
 */
public final class ConsentPolicy {

    /** What is asked. {@code consents} are the person's consents (current versions); order does not matter. */
    public record Question(Caller caller, List<Consent> consents, List<LegalBasis> legalBases,
                           DataCategory category, Purpose purpose, Instant now) {
    }

    /** One row of the table: its answer when it applies, else null (ask the next row). */
    private record Rule(String name, Function<Question, Decision> answer) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("1 platform sees no personal data",
                    q -> q.caller().agencyType() == AgencyType.PLATFORM
                            ? Decision.deny(q.category(), PLATFORM_SEES_NO_PERSONAL_DATA) : null),
            new Rule("2 a consent in force that covers category and purpose and names the caller allows",
                    q -> allowingConsent(q).map(c -> Decision.byConsent(q.category(), c)).orElse(null)),
            new Rule("3 an active legal basis naming the caller's agency, covering category and purpose, allows",
                    q -> allowingLegalBasis(q).map(b -> Decision.byLegalBasis(q.category(), b)).orElse(null)),
            new Rule("4 health data reaches the police only under a consent naming that police agency",
                    q -> isPoliceAskingForHealthData(q)
                            ? Decision.deny(q.category(), HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT) : null),
            new Rule("5 default deny",
                    q -> Decision.deny(q.category(), NO_CONSENT)));

    private static final Comparator<Consent> OLDEST_CONSENT_FIRST =
            Comparator.comparing(Consent::createdAt).thenComparing(Consent::id);
    private static final Comparator<LegalBasis> OLDEST_LEGAL_BASIS_FIRST =
            Comparator.comparing(LegalBasis::createdAt).thenComparing(LegalBasis::id);

    private ConsentPolicy() {
    }

    /** The decision for one category. */
    public static Decision decide(Question q) {
        for (Rule rule : RULES) {
            Decision d = rule.answer().apply(q);
            if (d != null) {
                return d;
            }
        }
        throw new IllegalStateException("the last rule always answers");
    }

    /** One decision per category, in the order asked. */
    public static List<Decision> decide(Caller caller, List<Consent> consents, List<LegalBasis> legalBases,
                                        List<DataCategory> categories, Purpose purpose, Instant now) {
        List<Decision> out = new ArrayList<>(categories.size());
        for (DataCategory c : categories) {
            out.add(decide(new Question(caller, consents, legalBases, c, purpose, now)));
        }
        return out;
    }

    /** The names of the rows, in order (for documentation and tests). */
    public static List<String> rules() {
        return RULES.stream().map(Rule::name).toList();
    }

    private static Optional<Consent> allowingConsent(Question q) {
        return q.consents().stream()
                .filter(c -> c.isInForceAt(q.now()))
                .filter(c -> c.covers(q.category(), q.purpose()))
                .filter(c -> namesTheCaller(c, q))
                .min(OLDEST_CONSENT_FIRST);
    }

    /** A named agency equal to the caller's, or the caller's type — except police health data: named only. */
    private static boolean namesTheCaller(Consent c, Question q) {
        boolean named = c.namesAgency(q.caller().agency());
        if (isPoliceAskingForHealthData(q)) {
            return named;
        }
        return named || c.namesAgencyType(q.caller().agencyType());
    }

    private static Optional<LegalBasis> allowingLegalBasis(Question q) {
        return q.legalBases().stream()
                .filter(b -> b.isActiveAt(q.now()))
                .filter(b -> b.recipientAgency().equals(q.caller().agency()))
                .filter(b -> b.covers(q.category(), q.purpose()))
                .min(OLDEST_LEGAL_BASIS_FIRST);
    }

    private static boolean isPoliceAskingForHealthData(Question q) {
        return q.caller().agencyType() == AgencyType.POLICE && q.category().isHealth();
    }
}
