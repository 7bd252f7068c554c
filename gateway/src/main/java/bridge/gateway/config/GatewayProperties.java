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
 */
@ConfigurationProperties("bridge.gateway")
public record GatewayProperties(Map<String, String> backends, Duration deadline, Integer maxBodySize,
                                String issuer, String audience, String jwkSetUri, Boolean accessLog) {

    public GatewayProperties {
        backends = backends == null ? Map.of() : Map.copyOf(backends);
        deadline = deadline == null ? Duration.ofSeconds(5) : deadline;
        maxBodySize = maxBodySize == null ? 256 * 1024 : maxBodySize;
        audience = audience == null || audience.isBlank() ? "bridge-api" : audience;
        accessLog = accessLog == null || accessLog;
    }

    public String effectiveJwkSetUri() {
        return jwkSetUri != null && !jwkSetUri.isBlank() ? jwkSetUri : issuer + "/protocol/openid-connect/certs";
    }
}
