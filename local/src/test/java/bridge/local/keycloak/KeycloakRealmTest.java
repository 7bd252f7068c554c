package bridge.local.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Bridge realm on a real Keycloak: tokens carry the caller's agency, the API audience and the roles. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakRealmTest {

    private static final String PASSWORD = "bridge-demo";
    private static final String PORTAL = "bridge-portal";
    private static final String API_AUDIENCE = "bridge-api";
    /** alias → agency type, as in the realm file */
    private static final Map<String, String> AGENCIES = agencies();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KeycloakServer keycloak;

    private static Map<String, String> agencies() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("met-police", "POLICE");
        m.put("north-probation", "PROBATION");
        m.put("hmp-leeds", "PRISON");
        m.put("leeds-magistrates", "COURT");
        m.put("leeds-housing", "HOUSING");
        m.put("leeds-nhs", "HEALTH");
        m.put("forward-leeds", "TREATMENT");
        m.put("change-grow-live", "TREATMENT");
        m.put("dwp-leeds", "BENEFITS");
        m.put("peer-navigators", "PEER_SUPPORT");
        m.put("leeds-social-care", "SOCIAL_CARE");
        m.put("bridge-platform", "PLATFORM");
        return m;
    }

    static Stream<Arguments> allAgencies() {
        return AGENCIES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static Stream<Arguments> partnerAgencies() {
        return allAgencies().filter(a -> !"PLATFORM".equals(a.get()[1]));
    }

    @BeforeAll
    void startKeycloak() {
        Path log = Path.of(System.getProperty("bridge.keycloak.log", "target/keycloak-test.log"));
        long started = System.nanoTime();
        keycloak = KeycloakServer.start(KeycloakServer.locateDistribution(), KeycloakServer.locateRealmFile(), 0, log,
                Duration.ofMinutes(4));
        System.out.printf("Keycloak ready at %s in %.1f s%n", keycloak.issuer(), (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
            assertThat(keycloak.isRunning()).isFalse();
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}-integrator")
    @MethodSource("allAgencies")
    void integratorClientCredentialsTokenCarriesItsAgency(String alias, String type) {
        DocumentContext claims = claims(clientCredentials(alias + "-integrator", alias + "-integrator-secret"));

        assertThat(claims.<String>read("$.iss")).isEqualTo(keycloak.issuer());
        assertThat(audience(claims)).contains(API_AUDIENCE);
        assertThat(claims.<String>read("$.agency_id")).isEqualTo(alias);
        assertThat(claims.<String>read("$.agency_type")).isEqualTo(type);
        assertThat(claims.<String>read("$.azp")).isEqualTo(alias + "-integrator");
        assertThat(claims.<String>read("$.preferred_username")).isEqualTo("service-account-" + alias + "-integrator");
        assertThat(claims.<List<String>>read("$.organization")).containsExactly(alias);
        assertThat(claims.<Number>read("$.exp").longValue() - claims.<Number>read("$.iat").longValue()).isEqualTo(900);
    }

    @ParameterizedTest(name = "{0}-worker and -manager")
    @MethodSource("partnerAgencies")
    void portalPasswordGrantTokenCarriesTheUsersAgencyAndRoles(String alias, String type) {
        DocumentContext worker = claims(passwordGrant(alias + "-worker"));
        assertThat(worker.<String>read("$.iss")).isEqualTo(keycloak.issuer());
        assertThat(audience(worker)).contains(API_AUDIENCE);
        assertThat(worker.<String>read("$.azp")).isEqualTo(PORTAL);
        assertThat(worker.<String>read("$.agency_id")).isEqualTo(alias);
        assertThat(worker.<String>read("$.agency_type")).isEqualTo(type);
        assertThat(worker.<String>read("$.email")).isEqualTo(alias + "-worker@" + alias + ".bridge.example");
        assertThat(worker.<List<String>>read("$.organization")).containsExactly(alias);
        assertThat(roles(worker)).contains("worker").doesNotContain("manager", "data-protection-officer", "platform-operator");
        // the ID token (scope openid) names the agency too
        HttpResponse<String> response = passwordGrant(alias + "-worker");
        DocumentContext idToken = payload(JsonPath.read(response.body(), "$.id_token"));
        assertThat(idToken.<String>read("$.aud")).isEqualTo(PORTAL);
        assertThat(idToken.<String>read("$.agency_id")).isEqualTo(alias);
        assertThat(idToken.<String>read("$.agency_type")).isEqualTo(type);

        DocumentContext manager = claims(passwordGrant(alias + "-manager"));
        assertThat(manager.<String>read("$.agency_id")).isEqualTo(alias);
        assertThat(manager.<String>read("$.agency_type")).isEqualTo(type);
        assertThat(roles(manager)).contains("worker", "manager").doesNotContain("data-protection-officer", "platform-operator");
    }

    @Test
    void platformUsersBelongToThePlatformAgency() {
        DocumentContext operator = claims(passwordGrant("platform-operator"));
        assertThat(operator.<String>read("$.agency_id")).isEqualTo("bridge-platform");
        assertThat(operator.<String>read("$.agency_type")).isEqualTo("PLATFORM");
        assertThat(roles(operator)).contains("platform-operator").doesNotContain("worker", "data-protection-officer");

        DocumentContext dpo = claims(passwordGrant("dpo"));
        assertThat(dpo.<String>read("$.iss")).isEqualTo(keycloak.issuer());
        assertThat(audience(dpo)).contains(API_AUDIENCE);
        assertThat(dpo.<String>read("$.agency_id")).isEqualTo("bridge-platform");
        assertThat(dpo.<String>read("$.agency_type")).isEqualTo("PLATFORM");
        assertThat(roles(dpo)).contains("data-protection-officer").doesNotContain("worker", "platform-operator");
    }

    @Test
    void portalIsAPublicClientRequiringPkceS256() throws Exception {
        DocumentContext portal = JsonPath.parse(adminGet("/clients?clientId=" + PORTAL));
        assertThat(portal.<Boolean>read("$[0].publicClient")).isTrue();
        assertThat(portal.<Boolean>read("$[0].standardFlowEnabled")).isTrue();
        assertThat(portal.<Boolean>read("$[0].implicitFlowEnabled")).isFalse();
        assertThat(portal.<String>read("$[0].attributes['pkce.code.challenge.method']")).isEqualTo("S256");

        String authorize = keycloak.issuer() + "/protocol/openid-connect/auth?client_id=" + PORTAL
                + "&response_type=code&scope=openid&redirect_uri=" + encode("http://localhost:5173/callback");
        // without a code challenge the request is refused (back to the client with an error)
        HttpResponse<String> noPkce = get(authorize);
        assertThat(noPkce.statusCode()).isEqualTo(302);
        assertThat(noPkce.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
                .startsWith("http://localhost:5173/callback").contains("error=invalid_request").contains("code_challenge"));
        // with S256 the login page is shown; plain is refused
        String challenge = "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=";
        assertThat(get(authorize + challenge + "S256").statusCode()).isEqualTo(200);
        assertThat(get(authorize + challenge + "plain").headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).contains("error=invalid_request"));
        // only loopback redirect URIs are registered
        String elsewhere = authorize.replace(encode("http://localhost:5173/callback"), encode("https://portal.example/callback"));
        assertThat(get(elsewhere + challenge + "S256").statusCode()).isEqualTo(400);
    }

    @Test
    void integratorsAreConfidentialAndClientCredentialsOnly() throws Exception {
        DocumentContext integrator = JsonPath.parse(adminGet("/clients?clientId=met-police-integrator"));
        assertThat(integrator.<Boolean>read("$[0].publicClient")).isFalse();
        assertThat(integrator.<Boolean>read("$[0].serviceAccountsEnabled")).isTrue();
        assertThat(integrator.<Boolean>read("$[0].standardFlowEnabled")).isFalse();
        assertThat(integrator.<Boolean>read("$[0].directAccessGrantsEnabled")).isFalse();

        HttpResponse<String> wrongSecret = tokenRequest(Map.of("grant_type", "client_credentials",
                "client_id", "met-police-integrator", "client_secret", "not-the-secret"));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        HttpResponse<String> portalAsService = tokenRequest(Map.of("grant_type", "client_credentials", "client_id", PORTAL));
        assertThat(portalAsService.statusCode()).isIn(400, 401);
    }

    @Test
    void organisationsExistForEveryAgencyWithTheirMembers() throws Exception {
        DocumentContext orgs = JsonPath.parse(adminGet("/organizations?briefRepresentation=false&max=100"));
        List<String> aliases = orgs.read("$[*].alias");
        assertThat(aliases).containsExactlyInAnyOrderElementsOf(AGENCIES.keySet());
        for (Map.Entry<String, String> agency : AGENCIES.entrySet()) {
            String alias = agency.getKey();
            assertThat(orgs.<List<List<String>>>read("$[?(@.alias == '" + alias + "')].attributes.agency_type"))
                    .containsExactly(List.of(agency.getValue()));
            assertThat(orgs.<List<String>>read("$[?(@.alias == '" + alias + "')].domains[*].name"))
                    .containsExactly(alias + ".bridge.example");
        }
        String policeId = orgs.<List<String>>read("$[?(@.alias == 'met-police')].id").getFirst();
        List<String> members = JsonPath.parse(adminGet("/organizations/" + policeId + "/members")).read("$[*].username");
        assertThat(members).containsExactlyInAnyOrder("met-police-worker", "met-police-manager",
                "service-account-met-police-integrator");
    }

    @Test
    void agencyAttributesAreDeclaredInTheUserProfileAndOnlyAdminsMayEditThem() throws Exception {
        DocumentContext profile = JsonPath.parse(adminGet("/users/profile"));
        for (String attribute : List.of("agency_id", "agency_type")) {
            assertThat(profile.<List<List<String>>>read("$.attributes[?(@.name == '" + attribute + "')].permissions.edit"))
                    .containsExactly(List.of("admin"));
        }

        // a user cannot move themself to another agency through the account API
        String token = accessToken(passwordGrant("met-police-worker"));
        String account = keycloak.issuer() + "/account";
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(account)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);
        DocumentContext changed = JsonPath.parse(me.body())
                .put("$", "attributes", Map.of("agency_id", List.of("leeds-nhs"), "agency_type", List.of("HEALTH")));
        HttpResponse<String> update = http.send(HttpRequest.newBuilder(URI.create(account)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(changed.jsonString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(update.statusCode()).as(update.body()).isEqualTo(400);
        assertThat(update.body()).contains("error-user-attribute-read-only");

        DocumentContext after = claims(passwordGrant("met-police-worker"));
        assertThat(after.<String>read("$.agency_id")).isEqualTo("met-police");
        assertThat(after.<String>read("$.agency_type")).isEqualTo("POLICE");
    }

    @Test
    void issuerIsTheSameWhicheverLoopbackNameTheCallerUses() throws Exception {
        String viaLocalhost = keycloak.tokenEndpoint().replace("127.0.0.1", "localhost");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(viaLocalhost))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "client_credentials",
                        "client_id", "leeds-housing-integrator", "client_secret", "leeds-housing-integrator-secret"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(claims(response).<String>read("$.iss")).isEqualTo(keycloak.issuer());
    }

    // -------------------------------------------------------------------------------------------------------------

    private HttpResponse<String> clientCredentials(String clientId, String secret) {
        return tokenRequest(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private HttpResponse<String> passwordGrant(String username) {
        return tokenRequest(Map.of("grant_type", "password", "client_id", PORTAL, "username", username, "password", PASSWORD,
                "scope", "openid"));
    }

    private HttpResponse<String> tokenRequest(Map<String, String> form) {
        return post(keycloak.tokenEndpoint(), form);
    }

    private HttpResponse<String> post(String url, Map<String, String> form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("POST " + url + " failed", e);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String adminGet(String pathInRealm) throws IOException, InterruptedException {
        String adminToken = accessToken(post(keycloak.adminTokenEndpoint(), Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD)));
        URI uri = URI.create(keycloak.baseUrl() + "/admin/realms/" + KeycloakServer.REALM + pathInRealm);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + adminToken)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
        return response.body();
    }

    private static String accessToken(HttpResponse<String> tokenResponse) {
        assertThat(tokenResponse.statusCode()).as("token response: %s", tokenResponse.body()).isEqualTo(200);
        return JsonPath.read(tokenResponse.body(), "$.access_token");
    }

    /** The access token's claims. */
    private static DocumentContext claims(HttpResponse<String> tokenResponse) {
        return payload(accessToken(tokenResponse));
    }

    /** A JWT's payload, decoded without checking the signature: the token came straight from the token endpoint. */
    private static DocumentContext payload(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return JsonPath.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private static List<String> audience(DocumentContext claims) {
        Object aud = claims.read("$.aud");
        return aud instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(aud));
    }

    private static List<String> roles(DocumentContext claims) {
        return claims.read("$.realm_access.roles");
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
