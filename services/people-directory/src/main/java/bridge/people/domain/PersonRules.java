package bridge.people.domain;

import bridge.support.errors.Violations;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a registration must satisfy. Field paths are the contract's names, relative to the person
 * ({@code prefix} is where the person sits in the request, e.g. "person").
 */
public final class PersonRules {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_IDENTIFIERS = 20;
    static final int MAX_OTHER_NAMES = 20;
    static final int MAX_CONTACT_DETAILS = 10;
    static final int MAX_CONTACT_LENGTH = 200;
    static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);
    static final int MAX_IDENTIFIER_LENGTH = 100;
    private static final java.util.regex.Pattern AGENCY = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private PersonRules() {
    }

    public static void validate(NewPerson p, LocalDate today, String prefix, Violations v) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        if (p.preferredName() == null) {
            v.add(at + "preferred_name", "is required");
        } else {
            name(p.preferredName(), at + "preferred_name", v, true);
        }
        if (p.otherNames().size() > MAX_OTHER_NAMES) {
            v.add(at + "other_names", "at most " + MAX_OTHER_NAMES + " names");
        } else {
            for (int i = 0; i < p.otherNames().size(); i++) {
                name(p.otherNames().get(i), at + "other_names[" + i + "]", v, true);
            }
        }
        if (p.dateOfBirth() != null) {
            if (p.dateOfBirth().isAfter(today)) {
                v.add(at + "date_of_birth", "is in the future");
            } else if (p.dateOfBirth().isBefore(EARLIEST_BIRTH)) {
                v.add(at + "date_of_birth", "is before " + EARLIEST_BIRTH);
            }
        }
        identifiers(p.identifiers(), at + "identifiers", v);
        if (p.contactDetails().size() > MAX_CONTACT_DETAILS) {
            v.add(at + "contact_details", "at most " + MAX_CONTACT_DETAILS + " contact details");
        } else {
            for (int i = 0; i < p.contactDetails().size(); i++) {
                ContactDetail c = p.contactDetails().get(i);
                String f = at + "contact_details[" + i + "]";
                if (c.method() == null) {
                    v.add(f + ".method", "is required");
                }
                if (c.value() == null || c.value().isBlank()) {
                    v.add(f + ".value", "is required");
                } else if (c.value().length() > MAX_CONTACT_LENGTH) {
                    v.add(f + ".value", "at most " + MAX_CONTACT_LENGTH + " characters");
                } else if (c.value().chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n')) {
                    v.add(f + ".value", "must not contain control characters");
                }
            }
        }
    }

    private static void name(PersonName n, String field, Violations v, boolean familyRequired) {
        boolean given = text(n.givenNames(), field + ".given_names", v);
        boolean family = text(n.familyName(), field + ".family_name", v);
        if (familyRequired && !family && !given && (n.familyName() == null || n.familyName().isEmpty())) {
            v.add(field + ".family_name", "is required");
        }
    }

    /** @return true when the text is present and valid */
    private static boolean text(String s, String field, Violations v) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (s.isBlank()) {
            v.add(field, "must not be only whitespace");
            return false;
        }
        if (s.length() > MAX_NAME_LENGTH) {
            v.add(field, "at most " + MAX_NAME_LENGTH + " characters");
            return false;
        }
        if (s.chars().anyMatch(Character::isISOControl)) {
            v.add(field, "must not contain control characters");
            return false;
        }
        return true;
    }

    private static void identifiers(List<Identifier> ids, String field, Violations v) {
        if (ids.size() > MAX_IDENTIFIERS) {
            v.add(field, "at most " + MAX_IDENTIFIERS + " identifiers");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            Identifier id = ids.get(i);
            String f = field + "[" + i + "]";
            if (id.type() == null) {
                v.add(f + ".type", "is required");
                continue;
            }
            if (id.value() == null || id.value().isBlank()) {
                v.add(f + ".value", "is required");
                continue;
            }
            if (id.value().length() > MAX_IDENTIFIER_LENGTH) {
                v.add(f + ".value", "at most " + MAX_IDENTIFIER_LENGTH + " characters");
                continue;
            }
            IdentifierRules.brokenRule(id.type(), IdentifierRules.normalise(id.type(), id.value()))
                    .ifPresent(rule -> v.add(f + ".value", id.type() + ": " + rule));
            String issuer = id.issuingAgency() == null ? "" : id.issuingAgency();
            if (id.type() != IdentifierType.AGENCY_CASE_REFERENCE && !issuer.isEmpty()) {
                v.add(f + ".issuing_agency", "only an agency case reference has an issuing agency");
            } else if (!issuer.isEmpty() && !AGENCY.matcher(issuer).matches()) {
                v.add(f + ".issuing_agency", "an agency id: lower-case letters, digits and '-', at most 64");
            }
            if (!seen.add(id.type() + "|" + id.issuingAgency() + "|" + id.value())) {
                v.add(f, "duplicate identifier");
            }
        }
    }
}
