package bridge.gateway.config;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param backends     proto package (e.g. {@code bridge.people.v1}) to the gRPC address of the
 *                     service that serves it ({@code host:port})
 * @param deadline     deadline of every call to a service
 * @param maxBodySize  larger request bodies get 413
 * @param issuer       expected token issuer
 * @param audience     expected token audience
 * @param jwkSetUri    signing keys; defaults to Keycloak's certs endpoint under the issuer
 * @param accessLog    one log line per request with its request id
 * @param keysRefresh    how often the signing keys are fetched again (a failed fetch keeps the old keys)
 * @param keysRefetchGap least time between two key fetches caused by tokens naming an unknown key id
 * @param tokenCacheSize most validated tokens remembered (0: every token validated in full every time)
 */
@ConfigurationProperties("bridge.gateway")
public record GatewayProperties(Map<String, String> backends, Duration deadline, Integer maxBodySize,
                                String issuer, String audience, String jwkSetUri, Boolean accessLog,
                                Duration keysRefresh, Duration keysRefetchGap, Integer tokenCacheSize) {

    public GatewayProperties {
        backends = backends == null ? Map.of() : Map.copyOf(backends);
        deadline = deadline == null ? Duration.ofSeconds(5) : deadline;
        maxBodySize = maxBodySize == null ? 256 * 1024 : maxBodySize;
        audience = audience == null || audience.isBlank() ? "bridge-api" : audience;
        accessLog = accessLog == null || accessLog;
        keysRefresh = keysRefresh == null ? Duration.ofMinutes(5) : keysRefresh;
        keysRefetchGap = keysRefetchGap == null ? Duration.ofSeconds(30) : keysRefetchGap;
        tokenCacheSize = tokenCacheSize == null ? 10_000 : tokenCacheSize;
    }

    public String effectiveJwkSetUri() {
        return jwkSetUri != null && !jwkSetUri.isBlank() ? jwkSetUri : issuer + "/protocol/openid-connect/certs";
    }
}
