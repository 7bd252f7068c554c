package bridge.consent.domain;

import bridge.support.errors.Violations;
import java.time.Duration;
import java.time.Instant;

/**
 * What a legal basis must satisfy; field paths relative to {@code prefix} (e.g. "legal_basis"). The
 * recipient must be a partner agency; naming the platform's agency is accepted (it exists) and is
 * inert: the policy never allows anything to PLATFORM.
 */
public final class LegalBasisRules {

    public static final int MIN_JUSTIFICATION_LENGTH = 20;
    public static final int MAX_JUSTIFICATION_LENGTH = 4000;
    /** A legal basis is a time-limited exception: at most this long after it is recorded. */
    public static final Duration MAX_DURATION = Duration.ofDays(90);

    private LegalBasisRules() {
    }

    public static void validate(NewLegalBasis b, Instant now, AgencyDirectory agencies, String prefix, Violations v) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        if (b.type() == null) {
            v.add(at + "type", "is required (statutory duty, serious and imminent risk to life, court order or safeguarding)");
        }
        ConsentRules.agency(b.recipientAgency(), agencies, true, at + "recipient_agency", v);
        ConsentRules.nonEmptyDistinct(b.categories(), at + "categories", "a data category", v);
        ConsentRules.nonEmptyDistinct(b.purposes(), at + "purposes", "a purpose", v);
        String j = b.justification() == null ? "" : b.justification().strip();
        int length = j.codePointCount(0, j.length());
        if (length < MIN_JUSTIFICATION_LENGTH) {
            v.add(at + "justification", j.isEmpty()
                    ? "is required: why sharing without consent is necessary and proportionate"
                    : "at least " + MIN_JUSTIFICATION_LENGTH + " characters: why sharing without consent is "
                            + "necessary and proportionate");
        } else if (length > MAX_JUSTIFICATION_LENGTH) {
            v.add(at + "justification", "at most " + MAX_JUSTIFICATION_LENGTH + " characters");
        }
        if (b.validUntil() == null) {
            v.add(at + "valid_until", "is required: a legal basis is time-limited (at most 90 days)");
        } else if (!b.validUntil().isAfter(now)) {
            v.add(at + "valid_until", "must be in the future");
        } else if (b.validUntil().isAfter(now.plus(MAX_DURATION))) {
            v.add(at + "valid_until", "at most 90 days from now");
        }
    }
}
