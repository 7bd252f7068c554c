package bridge.consent.domain;

import bridge.support.identity.AgencyType;

/**
 * Who may see the information: one named agency, or every agency of a type. Exactly one of the two
 * is set on a valid recipient; the rules report anything else.
 */
public record Recipient(String agency, AgencyType agencyType) {

    public static Recipient agency(String agency) {
        return new Recipient(agency, null);
    }

    public static Recipient agencyType(AgencyType type) {
        return new Recipient(null, type);
    }

    public boolean isNamedAgency() {
        return agency != null;
    }
}
