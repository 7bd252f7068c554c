package bridge.support.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The consent service's decisions for one request of one caller about one person, for one purpose,
 * as read from a decision set whose signature has been verified (ADR 0012). A service uses it instead
 * of asking the consent service only when {@link #refusal} finds nothing wrong; anything else means
 * asking as before, never a partial use of the set.
 *
 * @param subject   the caller's token subject, as the consent service read it from the token
 * @param agency    the caller's agency, likewise
 * @param personId  the person's id (without {@code people/})
 * @param decisions allow or deny per decided category
 * @param requestId the request the set was issued for
 */
public record DecisionSet(String subject, String agency, String personId, Purpose purpose,
                          Map<DataCategory, Boolean> decisions, String requestId, Instant issuedAt, Instant expiresAt) {

    /** Clocks of two processes differ a little: a set "issued" this far ahead of now is still accepted. */
    public static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(1);

    public DecisionSet {
        decisions = Map.copyOf(decisions);
    }

    /**
     * Why this set does not answer the question asked by this caller in this request, or null when it
     * does: the same subject and agency as the caller's own validated token, the same person, purpose
     * and request, not expired, and every asked category decided.
     */
    public String refusal(String callerSubject, String callerAgency, String askedPersonId,
                          Collection<DataCategory> asked, Purpose askedPurpose, String currentRequestId, Instant now) {
        if (!Objects.equals(subject, callerSubject) || !Objects.equals(agency, callerAgency)) {
            return "OTHER_CALLER";
        }
        if (!Objects.equals(personId, askedPersonId)) {
            return "OTHER_PERSON";
        }
        if (purpose != askedPurpose) {
            return "OTHER_PURPOSE";
        }
        if (requestId == null || requestId.isEmpty() || !requestId.equals(currentRequestId)) {
            return "OTHER_REQUEST";
        }
        if (issuedAt == null || expiresAt == null || !now.isBefore(expiresAt) || issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            return "EXPIRED";
        }
        if (!decisions.keySet().containsAll(asked)) {
            return "CATEGORY_NOT_DECIDED";
        }
        return null;
    }

    /** The decisions for the asked categories only, as the consent service would have answered them. */
    public Decisions answer(Collection<DataCategory> asked) {
        Map<DataCategory, Boolean> out = new EnumMap<>(DataCategory.class);
        for (DataCategory c : asked) {
            out.put(c, decisions.get(c));
        }
        return new Decisions(out);
    }
}
