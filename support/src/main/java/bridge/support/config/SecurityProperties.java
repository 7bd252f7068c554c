package bridge.support.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * How a service validates callers' tokens. Every service validates tokens itself: the gateway is
 * not trusted blindly.
 *
 * @param issuer          expected {@code iss}, e.g. http://127.0.0.1:8180/realms/bridge
 * @param audience        expected entry of {@code aud}
 * @param jwkSetUri       where the signing keys are; defaults to Keycloak's certs endpoint under the issuer
 * @param keysRefresh     how often the signing keys are fetched again (a failed fetch keeps the old keys)
 * @param keysRefetchGap  least time between two fetches caused by tokens naming an unknown key id
 * @param tokenCacheSize  most validated tokens remembered (0: validate every token in full every time)
 */
@ConfigurationProperties("bridge.security")
public record SecurityProperties(String issuer, String audience, String jwkSetUri, Duration keysRefresh,
                                 Duration keysRefetchGap, Integer tokenCacheSize) {

    @ConstructorBinding // the canonical one: the short constructor below is for tests and code
    public SecurityProperties {
        if (audience == null || audience.isBlank()) {
            audience = "bridge-api";
        }
        keysRefresh = keysRefresh == null ? Duration.ofMinutes(5) : keysRefresh;
        keysRefetchGap = keysRefetchGap == null ? Duration.ofSeconds(30) : keysRefetchGap;
        tokenCacheSize = tokenCacheSize == null ? 10_000 : tokenCacheSize;
    }

    public SecurityProperties(String issuer, String audience, String jwkSetUri) {
        this(issuer, audience, jwkSetUri, null, null, null);
    }

    public String effectiveJwkSetUri() {
        if (jwkSetUri != null && !jwkSetUri.isBlank()) {
            return jwkSetUri;
        }
        return issuer + "/protocol/openid-connect/certs";
    }
}
