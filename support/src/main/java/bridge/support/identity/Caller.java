package bridge.support.identity;

import java.util.Set;

/**
 * Who is calling, for which agency: read from the caller's validated token, never from the request.
 *
 * @param subject the user or integrator client (token subject)
 * @param agency  the agency id (Keycloak organisation alias)
 * @param agencyType the agency's type
 * @param roles   realm roles (worker, manager, data-protection-officer, ...)
 */
public record Caller(String subject, String agency, AgencyType agencyType, Set<String> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Platform operators run the platform; they never see personal data. */
    public boolean isPlatform() {
        return agencyType == AgencyType.PLATFORM;
    }
}
