package bridge.consent.domain;

import bridge.support.identity.AgencyType;
import java.util.Map;
import java.util.Optional;

/**
 * The partner agencies a consent or legal basis may name as recipient, by Keycloak organisation
 * alias. Today a configured list ({@code bridge.consent.agencies}); later it can be backed by
 * Keycloak's organisations without touching the rules that use it.
 */
public interface AgencyDirectory {

    /** The agency's type, or empty when no partner agency has this alias. */
    Optional<AgencyType> typeOf(String agency);

    /** A fixed directory, e.g. from configuration. */
    static AgencyDirectory of(Map<String, AgencyType> agencies) {
        Map<String, AgencyType> copy = Map.copyOf(agencies);
        return agency -> agency == null ? Optional.empty() : Optional.ofNullable(copy.get(agency));
    }
}
