package bridge.e2e;

import static bridge.e2e.Platform.post;
import static bridge.e2e.Platform.request;
import static bridge.e2e.Platform.send;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.referrals.config.ReferralsClock;
import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The custody-release pathway through the gateway with real Keycloak tokens: the prison refers six
 * weeks before release with the person's consent, the treatment service accepts, the first
 * appointment is attended on day 9 after release, and the commissioners' measures count the pick-up;
 * a second person's referral is rejected with a reason; bad requests get the right problem+json and
 * change nothing (re-read to check). Time travel: only the referral service's clock moves
 * ({@link ReferralsClock}, in-process), so the appointment is a recorded fact dated after the
 * release, checked against the service's "now".
 */
class CustodyReleasePathwayTest {

    static final ZoneId UK = ZoneId.of("Europe/London");

    @AfterEach
    void backToNow() {
        clock().reset();
    }

    static ReferralsClock clock() {
        return Platform.get().service("referrals").getBean(ReferralsClock.class);
    }

    static String person(String prison, String family) {
        return JsonPath.read(post("/v1/people?confirmNewPerson=true", prison, """
                {"preferredName":{"givenNames":"Sam","familyName":"%s"},"dateOfBirth":{"year":1985,"month":3,"day":9}}"""
                .formatted(family)).body(), "$.name");
    }

    static void consentToTreatment(String prison, String person) {
        HttpResponse<String> r = post("/v1/" + person + "/consents", prison, """
                {"recipients":[{"agency":"forward-leeds"}],
                 "categories":["DATA_CATEGORY_REFERRALS","DATA_CATEGORY_SUBSTANCE_USE","DATA_CATEGORY_JUSTICE"],
                 "purposes":["PURPOSE_REFERRAL"],"method":"CONSENT_METHOD_WRITTEN"}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static String referral(String person, LocalDate release, String pathway, String details) {
        return """
                {"person":"%s","pathway":"%s","performerAgency":"forward-leeds",
                 "reason":"On methadone in custody; wants to continue in the community.",%s}"""
                .formatted(person, pathway, details.formatted(release.getYear(), release.getMonthValue(), release.getDayOfMonth()));
    }

    static final String CUSTODY = """
            "custodyRelease":{"releaseDate":{"year":%d,"month":%d,"day":%d},"prison":"HMP Leeds",
             "treatmentInCustody":["CUSTODY_TREATMENT_OPIOID_SUBSTITUTION_THERAPY"]}""";

    static HttpResponse<String> create(String token, String body, String idempotencyKey) {
        HttpRequest.Builder b = request("/v1/referrals", token).header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> act(String token, String name, String verb, String json) {
        return post("/v1/" + name + ":" + verb, token, json);
    }

    static String read(String name, String token) {
        HttpResponse<String> r = get("/v1/" + name, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    static void assertProblem(HttpResponse<String> r, int status, String reasonOrField) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains(reasonOrField).doesNotContain("Exception").doesNotContain("at bridge.");
    }

    @Test
    void releasedPersonIsPickedUpAndCounted() {
        String prison = user("hmp-leeds-worker");
        String treatment = user("forward-leeds-worker");
        String person = person(prison, "Pickup");
        LocalDate today = LocalDate.now(UK);
        LocalDate release = today.plusWeeks(6);

        // without the person's consent the treatment service gets the envelope only and cannot act
        HttpResponse<String> sent = create(prison, referral(person, release, "PATHWAY_CUSTODY_RELEASE_TREATMENT", CUSTODY),
                "e2e-pickup-" + System.nanoTime());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        String name = JsonPath.read(sent.body(), "$.name");
        String envelope = read(name, treatment);
        assertThat(envelope).doesNotContain("methadone").contains("DATA_CATEGORY_SUBSTANCE_USE");
        String etag = JsonPath.read(envelope, "$.etag");
        assertProblem(act(treatment, name, "accept", "{\"etag\":\"" + etag.replace("\"", "\\\"") + "\"}"), 409,
                "REFERRAL_SHARING_NOT_ALLOWED");
        assertThat((String) JsonPath.read(read(name, prison), "$.status")).isEqualTo("REFERRAL_STATUS_REQUESTED");

        consentToTreatment(prison, person);
        String full = read(name, treatment);
        assertThat(full).contains("methadone").contains("HMP Leeds");
        HttpResponse<String> accepted = act(treatment, name, "accept", etagBody(full));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(accepted.body(), "$.status")).isEqualTo("REFERRAL_STATUS_ACCEPTED");

        // six weeks and nine days later: the first community appointment, attended on day 9 after release
        clock().shift(Duration.ofDays(42 + 9).plusHours(6));
        String at = release.plusDays(9).atTime(10, 0).atZone(UK).toInstant().toString();
        HttpResponse<String> attended = act(treatment, name, "recordAppointment", """
                {"etag":"%s","startTime":"%s","outcome":"APPOINTMENT_OUTCOME_ATTENDED"}"""
                .formatted(JsonPath.<String>read(accepted.body(), "$.etag").replace("\"", "\\\""), at));
        assertThat(attended.statusCode()).as(attended.body()).isEqualTo(200);
        assertThat((Boolean) JsonPath.read(attended.body(), "$.pickedUp")).isTrue();
        assertThat((Boolean) JsonPath.read(read(name, prison), "$.pickedUp")).as("the referrer sees the loop closed").isTrue();

        String month = YearMonth.now(UK).toString();
        HttpResponse<String> metrics = get("/v1/referralMetrics?startMonth=" + month + "&endMonth=" + month
                + "&pathway=PATHWAY_CUSTODY_RELEASE_TREATMENT&performerAgency=forward-leeds", user("commissioner"));
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        List<Integer> pickedUp = JsonPath.read(metrics.body(), "$.rows[*].pickedUp");
        assertThat(pickedUp.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(1);
        assertThat(metrics.body()).doesNotContain(person).doesNotContain(name);
        assertProblem(get("/v1/referralMetrics?startMonth=" + month + "&endMonth=" + month, treatment), 403,
                "COMMISSIONER_ROLE_REQUIRED");
    }

    @Test
    void aSecondPersonIsRejectedWithAReasonAndBadRequestsChangeNothing() {
        String prison = user("hmp-leeds-worker");
        String treatment = user("forward-leeds-worker");
        String person = person(prison, "Rejected");
        consentToTreatment(prison, person);
        LocalDate release = LocalDate.now(UK).plusWeeks(4);
        String key = "e2e-reject-" + System.nanoTime();
        HttpResponse<String> first = create(prison, referral(person, release, "PATHWAY_CUSTODY_RELEASE_TREATMENT", CUSTODY), key);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String name = JsonPath.read(first.body(), "$.name");

        // a duplicate create (same Idempotency-Key) returns the same referral, nothing new
        HttpResponse<String> again = create(prison, referral(person, release, "PATHWAY_CUSTODY_RELEASE_TREATMENT", CUSTODY), key);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(again.body(), "$.name")).isEqualTo(name);
        List<String> names = JsonPath.read(get("/v1/" + person + "/referrals", prison).body(), "$.referrals[*].name");
        assertThat(names).containsExactly(name);

        String before = read(name, prison);
        String etag = etagBody(before);
        // the wrong agency moving a transition: the sender cannot accept
        assertProblem(act(prison, name, "accept", etag), 403, "WRONG_PARTY");
        // an illegal transition: complete from requested, naming the state
        assertProblem(act(treatment, name, "complete", etag), 409, "requested");
        // a missing reason
        HttpResponse<String> noReason = act(treatment, name, "reject", etag);
        assertProblem(noReason, 400, "reason.code");
        // an unknown pathway, and planning earlier than 12 weeks before release
        assertProblem(create(prison, referral(person, release, "PATHWAY_TELEPATHY", CUSTODY), null), 400, "pathway");
        assertProblem(create(prison, referral(person, LocalDate.now(UK).plusWeeks(13), "PATHWAY_CUSTODY_RELEASE_TREATMENT",
                CUSTODY), null), 409, "RELEASE_PLANNING_NOT_OPEN");
        assertThat(read(name, prison)).isEqualTo(before);
        assertThat((List<String>) JsonPath.read(get("/v1/" + person + "/referrals", prison).body(), "$.referrals[*].name"))
                .containsExactly(name);

        HttpResponse<String> rejected = act(treatment, name, "reject", etag.replace("}",
                ",\"reason\":{\"code\":\"STATUS_REASON_CODE_NO_CAPACITY\",\"text\":\"Caseloads full until next month\"}}"));
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        String after = read(name, prison);
        assertThat((String) JsonPath.read(after, "$.status")).isEqualTo("REFERRAL_STATUS_REJECTED");
        assertThat((String) JsonPath.read(after, "$.history[0].reason.code")).isEqualTo("STATUS_REASON_CODE_NO_CAPACITY");
        assertThat((String) JsonPath.read(after, "$.history[0].actor.agency")).isEqualTo("forward-leeds");
        // and it cannot be accepted any more
        assertProblem(act(treatment, name, "accept", etagBody(after)), 409, "rejected");
    }

    private static HttpResponse<String> get(String path, String token) {
        return Platform.get(path, token);
    }

    static String etagBody(String referralJson) {
        return "{\"etag\":\"" + JsonPath.<String>read(referralJson, "$.etag").replace("\"", "\\\"") + "\"}";
    }
}
