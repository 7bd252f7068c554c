package bridge.consent.config;

import bridge.support.identity.AgencyType;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The consent service's own settings.
 *
 * @param agencies the partner agencies a consent or legal basis may name, organisation alias → type
 *                 ({@code bridge.consent.agencies.met-police: POLICE}); the same aliases as the
 *                 Keycloak organisations
 */
@ConfigurationProperties("bridge.consent")
public record ConsentProperties(Map<String, AgencyType> agencies) {

    public ConsentProperties {
        agencies = agencies == null ? Map.of() : Map.copyOf(agencies);
    }
}
