package bridge.support.identity;

import bridge.support.errors.PermissionDeniedException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The one place that turns a validated token into a {@link Caller}.
 *
 * <p>Keycloak projects the caller's organisation (agency) into two flat claims, {@code agency_id}
 * and {@code agency_type} (see docs/adr/0003). Claims are read defensively: a token without a
 * usable agency is refused, never defaulted.
 */
public final class CallerClaims {

    public static final String AGENCY_ID = "agency_id";
    public static final String AGENCY_TYPE = "agency_type";

    private CallerClaims() {
    }

    public static Caller fromJwt(Jwt jwt) {
        String agency = singleString(jwt.getClaims().get(AGENCY_ID));
        AgencyType type = AgencyType.parse(singleString(jwt.getClaims().get(AGENCY_TYPE))).orElse(null);
        if (agency == null || agency.isBlank() || type == null) {
            throw new PermissionDeniedException("CALLER_HAS_NO_AGENCY",
                    "the token does not name the caller's agency (claims agency_id and agency_type)");
        }
        String subject = jwt.getSubject() != null ? jwt.getSubject() : singleString(jwt.getClaims().get("azp"));
        return new Caller(subject == null ? "unknown" : subject, agency.trim(), type, roles(jwt));
    }

    private static Set<String> roles(Jwt jwt) {
        Set<String> roles = new HashSet<>();
        if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> access
                && access.get("roles") instanceof Collection<?> list) {
            for (Object r : list) {
                if (r instanceof String s) {
                    roles.add(s);
                }
            }
        }
        return roles;
    }

    /** A claim may arrive as a string or, from some mappers, as a one-element list. */
    private static String singleString(Object claim) {
        if (claim instanceof String s) {
            return s;
        }
        if (claim instanceof Collection<?> c && c.size() == 1 && c.iterator().next() instanceof String s) {
            return s;
        }
        return null;
    }
}
