package bridge.support.identity;

import java.util.Locale;
import java.util.Optional;

/** The kind of organisation an agency is (DESIGN.md "Agency"). Plain Java so domain code can use it. */
public enum AgencyType {
    POLICE, PROBATION, PRISON, COURT, HOUSING, HEALTH, TREATMENT, BENEFITS, PEER_SUPPORT, SOCIAL_CARE,
    /** Platform operators: they run the cluster and see no personal data. */
    PLATFORM;

    /** Lenient parse of a token claim value ("police", "POLICE", "AGENCY_TYPE_POLICE"). */
    public static Optional<AgencyType> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (v.startsWith("AGENCY_TYPE_")) {
            v = v.substring("AGENCY_TYPE_".length());
        }
        try {
            return Optional.of(valueOf(v));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
