package bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token attacks against the gateway with the real Keycloak as issuer. Each token is either really
 * issued by Keycloak but wrong for Bridge (another realm, a client without our audience, a client
 * whose service account belongs to no agency), or a real Keycloak token altered the way a forger
 * would alter it (payload edited, signature edited, re-signed with alg none, HS256 keyed with
 * Keycloak's own RSA public key, re-signed with the attacker's key under Keycloak's key id, with the
 * times or audience changed). Every one gets 401 problem+json; the untouched token gets through.
 *
 * <p>An expired token genuinely signed by Keycloak would need the test to wait out the token
 * lifespan plus the validators' 60 s clock skew; the expiry rule itself is tested with a locally
 * signed token in the gateway's and support's TokenAttack tests.
 */
class TokenAttackTest {

    static String good;
    static RSAKey keycloakKey;
    static String keycloakBase;

    @BeforeAll
    static void tokens() throws Exception {
        String issuer = Platform.get().issuer();
        keycloakBase = issuer.substring(0, issuer.indexOf("/realms/"));
        good = Platform.integrator("met-police");
        HttpResponse<String> certs = Platform.send(HttpRequest.newBuilder(
                URI.create(issuer + "/protocol/openid-connect/certs")).build());
        String kid = SignedJWT.parse(good).getHeader().getKeyID();
        JWK jwk = JWKSet.parse(certs.body()).getKeyByKeyId(kid);
        keycloakKey = jwk.toRSAKey();
    }

    /** A path a service answers (after validating the token again itself): not found, not unauthorized. */
    private static HttpResponse<String> call(String token) {
        return Platform.get("/v1/people/tukenattackxxxxxxxxx", token);
    }

    private static void assertRefused(String token) {
        HttpResponse<String> r = call(token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat((String) JsonPath.read(r.body(), "$.reason")).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void theRealTokenGetsThrough() {
        assertThat(call(good).statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenFromAnotherRealmOfTheSameKeycloakIsRefused() {
        assertRefused(token(keycloakBase + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin")));
    }

    @Test
    void aRealBridgeTokenWithoutOurAudienceIsRefused() {
        assertRefused(clientToken("e2e-attack-no-audience", List.of("basic")));
    }

    @Test
    void aRealBridgeTokenWhoseServiceAccountHasNoAgencyIsRefused() {
        String token = clientToken("e2e-attack-no-agency", List.of("basic", "bridge-agency"));
        assertThat(claims(token)).containsKey("aud").doesNotContainKey("agency_id");
        assertRefused(token);
    }

    @Test
    void algNoneIsRefused() {
        assertRefused(new PlainJWT(claimsOf(good, c -> c)).serialize());
        // and "alg":"none" keeping Keycloak's signature
        String[] parts = good.split("\\.");
        String noneHeader = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        assertRefused(noneHeader + "." + parts[1] + "." + parts[2]);
    }

    @Test
    void hs256KeyedWithKeycloaksPublicKeyIsRefused() throws Exception {
        JWTClaimsSet claims = claimsOf(good, c -> c);
        for (byte[] secret : List.of(keycloakKey.toRSAPublicKey().getEncoded(),
                pem(keycloakKey.toRSAPublicKey().getEncoded()).getBytes(StandardCharsets.US_ASCII),
                keycloakKey.toJSONString().getBytes(StandardCharsets.UTF_8))) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keycloakKey.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new MACSigner(secret));
            assertRefused(jwt.serialize());
        }
    }

    @Test
    void aTamperedPayloadOrSignatureIsRefused() {
        String[] parts = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"met-police\"", "\"leeds-nhs\"").replace("\"POLICE\"", "\"HEALTH\"");
        assertRefused(parts[0] + "." + b64(payload) + "." + parts[2]);
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        sig[7] ^= 0x10;
        assertRefused(parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
    }

    @Test
    void tokensReSignedWithAnotherKeyUnderKeycloaksKeyIdAreRefused() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(keycloakKey.getKeyID()).generate();
        Instant now = Instant.now();
        List<UnaryOperator<JWTClaimsSet.Builder>> changes = List.of(
                c -> c,
                c -> c.expirationTime(Date.from(now.minus(Duration.ofMinutes(10)))),
                c -> c.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))),
                c -> c.audience("another-api"),
                c -> c.claim("agency_id", null).claim("agency_type", null));
        for (UnaryOperator<JWTClaimsSet.Builder> change : changes) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claimsOf(good, change));
            jwt.sign(new RSASSASigner(attacker));
            assertRefused(jwt.serialize());
        }
    }

    private static JWTClaimsSet claimsOf(String token, UnaryOperator<JWTClaimsSet.Builder> change) {
        try {
            return change.apply(new JWTClaimsSet.Builder(SignedJWT.parse(token).getJWTClaimsSet())).build();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> claims(String token) {
        return claimsOf(token, c -> c).toJSONObject();
    }

    /**
     * A confidential client of the bridge realm created through Keycloak's admin API, with only the
     * given default scopes: its tokens are really signed by Keycloak for the bridge realm.
     */
    private static String clientToken(String clientId, List<String> scopes) {
        String admin = token(keycloakBase + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"));
        String secret = clientId + "-secret";
        String client = "{\"clientId\":\"" + clientId + "\",\"enabled\":true,\"publicClient\":false,"
                + "\"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,\"secret\":\"" + secret + "\","
                + "\"defaultClientScopes\":[" + scopes.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(","))
                + "]}";
        HttpResponse<String> created = Platform.send(HttpRequest.newBuilder(
                        URI.create(keycloakBase + "/admin/realms/bridge/clients"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client)).build());
        assertThat(created.statusCode()).as(created.body()).isIn(201, 409);
        return token(keycloakBase + "/realms/bridge/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private static String token(String endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = Platform.send(HttpRequest.newBuilder(URI.create(endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonPath.read(r.body(), "$.access_token");
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }
}
