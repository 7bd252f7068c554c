package bridge.consent.domain;

import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a consent must satisfy. Field paths are the contract's names, relative to the consent
 * ({@code prefix} is where the consent sits in the request, e.g. "consent").
 */
public final class ConsentRules {

    static final int MAX_RECIPIENTS = 50;
    static final int MAX_AGENCY_LENGTH = 100;
    static final int MAX_CAPACITY_NOTE_LENGTH = 1000;

    private ConsentRules() {
    }

    /**
     * @param now the moment of recording, already truncated to milliseconds; a missing
     *            {@code validFrom} means this moment
     */
    public static void validate(NewConsent c, Instant now, AgencyDirectory agencies, String prefix, Violations v) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        recipients(c.recipients(), agencies, at + "recipients", v);
        nonEmptyDistinct(c.categories(), at + "categories", "a data category", v);
        nonEmptyDistinct(c.purposes(), at + "purposes", "a purpose", v);
        if (c.method() == null) {
            v.add(at + "method", "is required (written, verbal or digital)");
        }
        if (c.validUntil() != null) {
            Instant from = c.validFrom() == null ? now : c.validFrom();
            if (!c.validUntil().isAfter(from)) {
                v.add(at + "valid_until", c.validFrom() == null
                        ? "must be in the future (valid_from defaults to now)"
                        : "must be after valid_from (the period must not end before it starts)");
            }
        }
        if (c.capacityNote() != null
                && c.capacityNote().codePointCount(0, c.capacityNote().length()) > MAX_CAPACITY_NOTE_LENGTH) {
            v.add(at + "capacity_note", "at most " + MAX_CAPACITY_NOTE_LENGTH + " characters");
        }
    }

    private static void recipients(List<Recipient> recipients, AgencyDirectory agencies, String field, Violations v) {
        if (recipients.isEmpty()) {
            v.add(field, "at least one recipient (an agency or an agency type) is required");
            return;
        }
        if (recipients.size() > MAX_RECIPIENTS) {
            v.add(field, "at most " + MAX_RECIPIENTS + " recipients");
            return;
        }
        Set<Recipient> seen = new HashSet<>();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            String f = field + "[" + i + "]";
            if (r == null || (r.agency() == null && r.agencyType() == null)) {
                v.add(f, "must name an agency, or an agency type other than UNSPECIFIED");
            } else if (r.agency() != null) {
                if (agency(r.agency(), agencies, false, f + ".agency", v) && !seen.add(Recipient.agency(r.agency().strip()))) {
                    v.add(f, "duplicate recipient");
                }
            } else if (r.agencyType() == AgencyType.PLATFORM) {
                v.add(f + ".agency_type", "platform operators never receive personal data");
            } else if (!seen.add(r)) {
                v.add(f, "duplicate recipient");
            }
        }
    }

    /**
     * A recipient agency alias: present, sane, and a partner agency in the directory. True when valid.
     *
     * @param platformAllowed whether the platform operator's agency may be named. A consent may not
     *                        (as it may not name the PLATFORM type: it would be a consent to nothing);
     *                        a legal basis may, since it only has to name an agency that exists — the
     *                        policy denies the platform whatever is recorded.
     */
    static boolean agency(String agency, AgencyDirectory agencies, boolean platformAllowed, String field, Violations v) {
        if (agency == null || agency.isBlank()) {
            v.add(field, "must not be blank");
            return false;
        }
        String a = agency.strip();
        if (a.length() > MAX_AGENCY_LENGTH) {
            v.add(field, "at most " + MAX_AGENCY_LENGTH + " characters");
            return false;
        }
        if (a.chars().anyMatch(Character::isISOControl)) {
            v.add(field, "must not contain control characters");
            return false;
        }
        Optional<AgencyType> type = agencies.typeOf(a);
        if (type.isEmpty()) {
            v.add(field, "is not a partner agency: '" + a + "' (use the agency's organisation alias)");
            return false;
        }
        if (type.get() == AgencyType.PLATFORM && !platformAllowed) {
            v.add(field, "platform operators never receive personal data");
            return false;
        }
        return true;
    }

    static <T> void nonEmptyDistinct(List<T> values, String field, String what, Violations v) {
        if (values.isEmpty()) {
            v.add(field, "at least one " + what.substring(2) + " is required");
            return;
        }
        Set<T> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            if (value == null) {
                v.add(field + "[" + i + "]", "must name " + what + " (UNSPECIFIED or unrecognised values are not one)");
            } else if (!seen.add(value)) {
                v.add(field + "[" + i + "]", "duplicate " + what.substring(2));
            }
        }
    }
}
