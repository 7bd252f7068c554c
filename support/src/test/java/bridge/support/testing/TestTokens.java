package bridge.support.testing;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Tokens for in-process service tests, where real Keycloak is not running: a test token is the text
 * {@code test:<agency>:<AGENCY_TYPE>:<subject>[:role,role]} and {@link #decoder()} turns it into a Jwt
 * with the same claims Keycloak issues. Anything else is rejected, as a bad signature would be.
 * The end-to-end suite uses real Keycloak tokens instead.
 */
public final class TestTokens {

    private TestTokens() {
    }

    public static String token(String agency, String agencyType, String subject, String... roles) {
        return "test:" + agency + ":" + agencyType + ":" + subject + ":" + String.join(",", roles);
    }

    /** A token with no agency claims, which services must refuse. */
    public static String tokenWithoutAgency(String subject) {
        return "test:::" + subject + ":";
    }

    public static JwtDecoder decoder() {
        return token -> {
            String[] parts = token.split(":", -1);
            if (parts.length != 5 || !parts[0].equals("test")) {
                throw new BadJwtException("not a test token");
            }
            Jwt.Builder jwt = Jwt.withTokenValue(token)
                    .header("alg", "RS256")
                    .subject(parts[3])
                    .issuer("https://test.invalid/realms/bridge")
                    .audience(List.of("bridge-api"))
                    .issuedAt(Instant.now())
                    .expiresAt(Instant.now().plusSeconds(300))
                    .claim("realm_access", Map.of("roles", parts[4].isEmpty() ? List.of() : List.of(parts[4].split(","))));
            if (!parts[1].isEmpty()) {
                jwt.claim("agency_id", parts[1]);
            }
            if (!parts[2].isEmpty()) {
                jwt.claim("agency_type", parts[2]);
            }
            return jwt.build();
        };
    }

    /** gRPC call credentials that send the token as a bearer token, as the gateway does. */
    public static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(headers);
            }
        };
    }
}
