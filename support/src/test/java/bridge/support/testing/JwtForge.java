package bridge.support.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A stand-in token issuer for token-attack tests: a locally generated RSA key whose public half is
 * published as a JWK set over HTTP on loopback (as Keycloak's certs endpoint is), tokens signed with
 * it the way Keycloak signs them, and each {@link Attack} a forger would try. Close it after use.
 */
public final class JwtForge implements AutoCloseable {

    public static final String AUDIENCE = "bridge-api";

    private final RSAKey key;
    private final HttpServer server;
    private final String issuer;

    public JwtForge(String issuer) {
        this.issuer = issuer;
        this.key = newKey("forge-key");
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/certs", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    public String issuer() {
        return issuer;
    }

    public String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
    }

    /** Claims of a good token for an agency's worker: issuer, audience, 5 minutes of life, agency claims. */
    public JWTClaimsSet.Builder goodClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(List.of(AUDIENCE, "account"))
                .subject("forged-subject")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("azp", "met-police-integrator")
                .claim("agency_id", "met-police")
                .claim("agency_type", "POLICE")
                .claim("realm_access", Map.of("roles", List.of("worker")));
    }

    public String good() {
        return sign(goodClaims().build());
    }

    public String with(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = goodClaims();
        change.accept(claims);
        return sign(claims.build());
    }

    public String sign(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    public RSAKey key() {
        return key;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 with the issuer's RSA public key (X.509 DER, as a careless verifier might load it) as the HMAC secret. */
    public static String hs256WithPublicKey(RSAKey publicKey, String kid, JWTClaimsSet claims) {
        try {
            byte[] secret = publicKey.toRSAPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid)
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}, empty signature). */
    public static String algNone(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** The same header and signature over a payload with the agency changed (signature no longer matches). */
    public static String tamperPayload(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"", "\"sub\":\"x");
        if (payload.contains("\"agency_type\":\"")) {
            payload = payload.replaceFirst("\"agency_type\":\"[A-Z_]+\"", "\"agency_type\":\"HEALTH\"");
        }
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /** The same header and payload with the signature's bytes altered. */
    public static String tamperSignature(String token) {
        int dot = token.lastIndexOf('.');
        byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        sig[sig.length / 2] ^= 0x01;
        return token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }

    /** Every attack a token validator must refuse; each yields a token that differs from a good one in that one way. */
    public enum Attack {
        WRONG_ISSUER(f -> f.with(c -> c.issuer("https://attacker.example/realms/bridge"))),
        WRONG_AUDIENCE(f -> f.with(c -> c.audience(List.of("some-other-api")))),
        NO_AUDIENCE(f -> f.with(c -> c.audience((String) null))),
        ALG_NONE(f -> algNone(f.goodClaims().build())),
        HS256_WITH_RSA_PUBLIC_KEY(f -> hs256WithPublicKey(f.key().toPublicJWK(), f.key().getKeyID(), f.goodClaims().build())),
        EXPIRED(f -> f.with(c -> c.issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(20))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(10)))))),
        NOT_YET_VALID(f -> f.with(c -> c.notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))))),
        TAMPERED_SIGNATURE(f -> tamperSignature(f.good())),
        TAMPERED_PAYLOAD(f -> tamperPayload(f.good())),
        SIGNED_BY_ANOTHER_KEY_WITH_SAME_KID(f -> sign(newKey(f.key().getKeyID()), f.goodClaims().build())),
        MISSING_AGENCY_CLAIMS(f -> f.with(c -> c.claim("agency_id", null).claim("agency_type", null))),
        BLANK_AGENCY_ID(f -> f.with(c -> c.claim("agency_id", " "))),
        UNKNOWN_AGENCY_TYPE(f -> f.with(c -> c.claim("agency_type", "ALIENS"))),
        NOT_A_JWT(f -> "not.a.jwt");

        private final java.util.function.Function<JwtForge, String> forge;

        Attack(java.util.function.Function<JwtForge, String> forge) {
            this.forge = forge;
        }

        public String token(JwtForge forge) {
            return this.forge.apply(forge);
        }
    }
}
