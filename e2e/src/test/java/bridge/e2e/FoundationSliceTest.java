package bridge.e2e;

import static bridge.e2e.Platform.get;
import static bridge.e2e.Platform.integrator;
import static bridge.e2e.Platform.post;
import static bridge.e2e.Platform.request;
import static bridge.e2e.Platform.send;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation's vertical slice, through the gateway with real Keycloak tokens: an integrator of
 * one agency registers a person and reads it back; it is in the people-directory database; other
 * callers and bad requests get the right problem, and nothing is written.
 */
class FoundationSliceTest {

    private static final String PERSON = """
            {"preferredName":{"givenNames":"Alex","familyName":"Morgan"},
             "dateOfBirth":{"year":1988,"month":4,"day":12},
             "identifiers":[{"type":"IDENTIFIER_TYPE_NHS_NUMBER","value":"943 476 5919"},
                            {"type":"IDENTIFIER_TYPE_PRISON_NUMBER","value":"a1234bc"}]}""";

    @BeforeAll
    static void platform() {
        Platform.get();
    }

    /**
     * A person no other test registers: registration links exact strong identifiers and refuses likely
     * duplicates the caller may see (ADR 0007), so each test brings its own person.
     */
    static String person(String given, String family, int year, String nhs, String prisonNumber) {
        return PERSON.replace("Alex", given).replace("Morgan", family).replace("1988", Integer.toString(year))
                .replace("943 476 5919", nhs).replace("a1234bc", prisonNumber);
    }

    @Test
    void anIntegratorRegistersAPersonAndReadsItBack() {
        String prison = integrator("hmp-leeds");
        HttpResponse<String> created = post("/v1/people", prison, PERSON);
        // registering the same person again (same NHS number) is no second record: linked to the first
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
        String name = JsonPath.read(created.body(), "$.name");
        assertThat(name).matches("people/[a-z2-9]{20}");
        assertThat((String) JsonPath.read(created.body(), "$.registeredBy.agency")).isEqualTo("hmp-leeds");
        assertThat((String) JsonPath.read(created.body(), "$.registeredBy.agencyType")).isEqualTo("AGENCY_TYPE_PRISON");
        assertThat((String) JsonPath.read(created.body(), "$.identifiers[0].value")).isEqualTo("9434765919");

        HttpResponse<String> read = get("/v1/" + name, prison);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(read.body(), "$.name")).isEqualTo(name);
        assertThat((String) JsonPath.read(read.body(), "$.preferredName.familyName")).isEqualTo("Morgan");

        try (MongoClient mongo = MongoClients.create(Platform.get().mongoUri())) {
            Document stored = mongo.getDatabase("people-directory").getCollection("people")
                    .find(new Document("_id", name.substring("people/".length()))).first();
            assertThat(stored).isNotNull();
            assertThat(stored.getString("dateOfBirth")).isEqualTo("1988-04-12");
        }
        assertThat((String) JsonPath.read(post("/v1/people", prison, PERSON).body(), "$.name")).isEqualTo(name);
    }

    @Test
    void aLikelyDuplicateIsNamedAndConfirmingRegistersANewPerson() {
        String prison = integrator("hmp-leeds");
        String first = JsonPath.read(post("/v1/people", prison, person("Perpetua", "Okonjo", 1971, "401 023 2137", "c4321de")).body(),
                "$.name");
        String misspelt = """
                {"preferredName":{"givenNames":"Perpetua","familyName":"Okonjoh"},
                 "dateOfBirth":{"year":1971,"month":4,"day":12}}""";
        HttpResponse<String> refused = post("/v1/people", prison, misspelt);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains(first).doesNotContain("Okonjo\"");
        HttpResponse<String> confirmed = post("/v1/people?confirmNewPerson=true", prison, misspelt);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(confirmed.body(), "$.name")).isNotEqualTo(first);
    }

    @Test
    void withoutATokenTheAnswerIs401ProblemJson() {
        HttpResponse<String> r = get("/v1/people/abcdefghijkmnpqrstuv", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        assertThat((Integer) JsonPath.read(r.body(), "$.status")).isEqualTo(401);
        HttpResponse<String> forged = get("/v1/people/abcdefghijkmnpqrstuv", integrator("hmp-leeds") + "x");
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void anotherAgencyWithNoRelationshipSeesNothing() {
        String name = JsonPath.read(post("/v1/people", integrator("hmp-leeds"),
                person("Rowan", "Fairbrother", 1979, "485 777 3457", "d1111ef")).body(), "$.name");
        for (String token : List.of(user("met-police-worker"), integrator("leeds-housing"), user("dpo"))) {
            HttpResponse<String> r = get("/v1/" + name, token);
            assertThat(r.statusCode()).isIn(403, 404);
            assertThat(r.body()).doesNotContain("Fairbrother").doesNotContain("4857773457");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyReturnsTheSamePerson() {
        String token = integrator("forward-leeds");
        HttpRequest req = request("/v1/people", token).header("Content-Type", "application/json")
                .header("Idempotency-Key", "e2e-retry-" + System.nanoTime())
                .POST(HttpRequest.BodyPublishers.ofString(person("Kit", "Vasquez-Lowe", 1995, "401 023 2145", "e2222fg"))).build();
        HttpResponse<String> first = send(req);
        HttpResponse<String> second = send(req);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(second.body(), "$.name")).isEqualTo(JsonPath.read(first.body(), "$.name"));
    }

    @Test
    void badInputIs400NamingTheFieldAndWritesNothing() {
        String token = integrator("hmp-leeds");
        long before = countPeople();
        assertBadRequest(post("/v1/people", token, "{\"preferredName\": {"), null);
        assertBadRequest(post("/v1/people", token, PERSON.replace("\"preferredName\"", "\"nickname\":\"Al\",\"preferredName\"")),
                "nickname");
        assertBadRequest(post("/v1/people", token, PERSON.replace("\"year\":1988", "\"year\":\"nineteen\"")),
                "date_of_birth.year");
        assertBadRequest(post("/v1/people", token, PERSON.replace("\"day\":12", "\"day\":31").replace("\"month\":4", "\"month\":2")),
                "person.date_of_birth");
        assertBadRequest(post("/v1/people", token, PERSON.replace("943 476 5919", "943 476 5918")),
                "person.identifiers[0].value");
        assertBadRequest(post("/v1/people", token, PERSON.replace("\"givenNames\":\"Alex\"", "\"givenNames\":\"   \"")),
                "person.preferred_name.given_names");
        assertThat(countPeople()).isEqualTo(before);
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"preferredName\":{\"familyName\":\"" + "x".repeat(400_000) + "\"}}";
        HttpResponse<String> r = post("/v1/people", integrator("hmp-leeds"), big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void everyResponseCarriesARequestIdAndTheCallersIdIsKept() {
        HttpResponse<String> r = send(request("/v1/people/abcdefghijkmnpqrstuv", integrator("hmp-leeds"))
                .header("X-Request-Id", "trace-123").GET().build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-Request-Id")).hasValue("trace-123");
        assertThat((String) JsonPath.read(r.body(), "$.requestId")).isEqualTo("trace-123");
    }

    @Test
    void theOpenApiDocumentIsServedFromTheContracts() {
        HttpResponse<String> r = get("/v1/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(r.body(), "$.openapi")).startsWith("3.");
        assertThat(r.body()).contains("/v1/people").contains("consents").contains("/v1/referrals")
                .contains("housingSituations").contains("claims");
    }

    @Test
    void everyServiceAnswersThroughTheGateway() {
        String prison = integrator("hmp-leeds");
        String name = JsonPath.read(post("/v1/people", prison, person("Sunniva", "Haraldsen", 1983, "485 777 3465", "f3333gh"))
                .body(), "$.name");
        HttpResponse<String> consent = post("/v1/" + name + "/consents", prison, """
                {"recipients":[{"agencyType":"AGENCY_TYPE_TREATMENT"}],
                 "categories":["DATA_CATEGORY_SUBSTANCE_USE"],"purposes":["PURPOSE_REFERRAL"],
                 "method":"CONSENT_METHOD_WRITTEN"}""");
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
        HttpResponse<String> consents = get("/v1/" + name + "/consents?pageSize=10", prison);
        assertThat(consents.statusCode()).as(consents.body()).isEqualTo(200);
        assertThat((List<?>) JsonPath.read(consents.body(), "$.consents")).hasSize(1);

        java.time.LocalDate release = java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).plusWeeks(6);
        HttpResponse<String> referral = post("/v1/referrals", prison, """
                {"person":"%s","pathway":"PATHWAY_CUSTODY_RELEASE_TREATMENT","performerAgency":"forward-leeds",
                 "reason":"release in six weeks","custodyRelease":{"releaseDate":{"year":%d,"month":%d,"day":%d},
                 "prison":"HMP Leeds","treatmentInCustody":["CUSTODY_TREATMENT_PSYCHOSOCIAL"]}}""".formatted(name,
                release.getYear(), release.getMonthValue(), release.getDayOfMonth()));
        assertThat(referral.statusCode()).as(referral.body()).isEqualTo(200);
        String referralName = JsonPath.read(referral.body(), "$.name");
        assertThat(get("/v1/" + referralName, integrator("forward-leeds")).statusCode()).isEqualTo(200);
        assertThat(get("/v1/" + referralName, integrator("met-police")).statusCode()).isEqualTo(404);

        HttpResponse<String> housing = post("/v1/" + name + "/housingSituations", prison, """
                {"status":"HOUSING_STATUS_IN_CUSTODY","startDate":{"year":2026,"month":1,"day":5}}""");
        assertThat(housing.statusCode()).as(housing.body()).isEqualTo(200);
        assertThat(get("/v1/" + name + "/housingSituations", prison).statusCode()).isEqualTo(200);

        HttpResponse<String> claim = post("/v1/" + name + "/claims", prison, """
                {"benefit":"BENEFIT_UNIVERSAL_CREDIT"}""");
        assertThat(claim.statusCode()).as(claim.body()).isEqualTo(200);
        assertThat(get("/v1/" + JsonPath.read(claim.body(), "$.name"), prison).statusCode()).isEqualTo(200);
    }

    @Test
    void servicesServePrometheusMetricsIncludingGrpcLatencyHistograms() throws Exception {
        get("/v1/people/abcdefghijkmnpqrstuv", integrator("hmp-leeds"));
        int port = Platform.get().service("people-directory")
                .getBean(bridge.support.metrics.MetricsEndpoint.class).port();
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .GET().build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("grpc_server_seconds_bucket").contains("GetPerson");
        HttpResponse<String> gateway = get("/actuator/prometheus", null);
        assertThat(gateway.statusCode()).isEqualTo(200);
        assertThat(gateway.body()).contains("resilience4j_circuitbreaker_state");
    }

    private static void assertBadRequest(HttpResponse<String> r, String fieldContains) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at bridge.");
        if (fieldContains != null) {
            List<String> fields = JsonPath.read(r.body(), "$.errors[*].field");
            assertThat(fields).anySatisfy(f -> assertThat(f).contains(fieldContains));
        }
    }

    private static long countPeople() {
        try (MongoClient mongo = MongoClients.create(Platform.get().mongoUri())) {
            return mongo.getDatabase("people-directory").getCollection("people").countDocuments();
        }
    }
}
