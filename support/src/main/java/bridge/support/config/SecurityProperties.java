package bridge.support.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a service validates callers' tokens. Every service validates tokens itself: the gateway is
 * not trusted blindly.
 *
 * @param issuer     expected {@code iss}, e.g. http://127.0.0.1:8180/realms/bridge
 * @param audience   expected entry of {@code aud}
 * @param jwkSetUri  where the signing keys are; defaults to Keycloak's certs endpoint under the issuer
 */
@ConfigurationProperties("bridge.security")
public record SecurityProperties(String issuer, String audience, String jwkSetUri) {

    public SecurityProperties {
        if (audience == null || audience.isBlank()) {
            audience = "bridge-api";
        }
    }

    public String effectiveJwkSetUri() {
        if (jwkSetUri != null && !jwkSetUri.isBlank()) {
            return jwkSetUri;
        }
        return issuer + "/protocol/openid-connect/certs";
    }
}
