package bridge.e2e;

import static bridge.e2e.Platform.get;
import static bridge.e2e.Platform.post;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.calendar.Jurisdiction;
import bridge.support.calendar.PublicHolidays;
import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 through the gateway with real Keycloak tokens: a prison release planner, a housing
 * officer and a benefits adviser prepare one person's release. The housing officer sees the
 * benefits preparation only once consent allows BENEFITS; bad input is problem+json and sends
 * nothing to the housing authority (WireMock in the local platform).
 */
class ReleasePreparationTest {

    private static String date(LocalDate d) {
        return "{\"year\":" + d.getYear() + ",\"month\":" + d.getMonthValue() + ",\"day\":" + d.getDayOfMonth() + "}";
    }

    private static void assertProblem(HttpResponse<String> r, int status, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        if (field != null) {
            assertThat(r.body()).contains(field);
        }
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at bridge.");
    }

    /** How many submissions the (WireMock) housing authority received for a person. */
    private static long sentToAuthority(String personId) {
        HttpResponse<String> r = Platform.send(HttpRequest.newBuilder(URI.create(Platform.get().wiremockUrl() + "/__admin/requests"))
                .GET().build());
        List<String> bodies = JsonPath.read(r.body(), "$.requests[*].request.body");
        return bodies.stream().filter(b -> b != null && b.contains(personId)).count();
    }

    @Test
    void threeAgenciesPrepareOneRelease() throws InterruptedException {
        String planner = user("hmp-leeds-worker");
        String housing = user("leeds-housing-worker");
        String adviser = user("dwp-leeds-worker");
        LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
        LocalDate release = today.plusDays(10);

        String person = JsonPath.read(post("/v1/people?confirmNewPerson=true", planner, """
                {"preferredName":{"givenNames":"Sam","familyName":"Release"},"dateOfBirth":{"year":1985,"month":3,"day":9}}""")
                .body(), "$.name");
        String personId = person.substring("people/".length());

        // the release planner: a plan for release in 10 days, nothing secured yet
        HttpResponse<String> plan = post("/v1/" + person + "/releasePlans", planner,
                "{\"releaseDate\":" + date(release) + ",\"releasingEstablishment\":\"HMP Leeds\",\"localAuthorityCode\":\"E08000035\"}");
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        String planName = JsonPath.read(plan.body(), "$.name");
        assertThat(plan.body()).contains("RELEASE_ALERT_NO_ACCOMMODATION_SECURED");

        // bad input: a past release date, an unknown authority, no consent to refer — problem+json, nothing sent
        assertProblem(post("/v1/" + person + "/releasePlans", planner,
                "{\"releaseDate\":" + date(today.minusDays(1)) + ",\"jurisdiction\":\"JURISDICTION_ENGLAND_AND_WALES\"}"),
                400, "release_plan.release_date");
        String notice = "{\"authorityCode\":\"%s\",\"reason\":\"Release with nowhere to live\",\"contactPhone\":\"07700 900456\","
                + "\"expectedHomelessDate\":" + date(release) + "}";
        assertProblem(post("/v1/" + person + "/dutyToReferNotices", planner, notice.formatted("E08000035")), 409,
                "consent to the referral");
        assertProblem(post("/v1/" + person + "/dutyToReferNotices", planner, notice.formatted("E09999999")), 400,
                "duty_to_refer_notice.authority_code");
        assertThat(sentToAuthority(personId)).isZero();

        // the person consents: referral with contact details (prison), housing to the housing officer
        assertThat(post("/v1/" + person + "/consents", planner, """
                {"recipients":[{"agency":"hmp-leeds"}],"categories":["DATA_CATEGORY_REFERRALS","DATA_CATEGORY_CONTACT"],
                 "purposes":["PURPOSE_REFERRAL"],"method":"CONSENT_METHOD_WRITTEN"}""").statusCode()).isEqualTo(200);
        assertThat(post("/v1/" + person + "/consents", planner, """
                {"recipients":[{"agency":"leeds-housing"}],"categories":["DATA_CATEGORY_HOUSING","DATA_CATEGORY_REFERRALS"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}""").statusCode()).isEqualTo(200);

        HttpResponse<String> sent = post("/v1/" + person + "/dutyToReferNotices", planner, notice.formatted("E08000035"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        String noticeName = JsonPath.read(sent.body(), "$.name");
        assertThat((String) JsonPath.read(sent.body(), "$.status")).isEqualTo("NOTICE_STATUS_QUEUED");
        String status = "";
        for (int i = 0; i < 60 && !status.equals("NOTICE_STATUS_SENT"); i++) {
            Thread.sleep(500);
            status = JsonPath.read(get("/v1/" + noticeName, planner).body(), "$.status");
        }
        assertThat(status).as("delivered to the authority's system by the outbox").isEqualTo("NOTICE_STATUS_SENT");
        assertThat(sentToAuthority(personId)).isEqualTo(1);

        // the housing officer secures a hostel place on the prison's plan
        HttpResponse<String> secured = post("/v1/" + planName + ":secureAccommodation", housing,
                "{\"accommodation\":{\"type\":\"HOUSING_STATUS_HOSTEL\",\"securedBy\":\"St George's Crypt\"}}");
        assertThat(secured.statusCode()).as(secured.body()).isEqualTo(200);
        assertThat(secured.body()).doesNotContain("RELEASE_ALERT_NO_ACCOMMODATION_SECURED").contains("St George");
        assertThat(get("/v1/" + noticeName, housing).statusCode()).isEqualTo(200);

        // the person agrees that the benefits adviser may know who they are: nothing is written under a
        // person the writer may not see
        assertThat(post("/v1/" + person + "/consents", planner, """
                {"recipients":[{"agency":"dwp-leeds"}],"categories":["DATA_CATEGORY_IDENTITY"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}""").statusCode()).isEqualTo(200);
        // the benefits adviser prepares the claim; the appointment on the first working day after release
        HttpResponse<String> prep = post("/v1/" + person + "/claimPreparations", adviser,
                "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\",\"releaseDate\":" + date(release)
                        + ",\"jurisdiction\":\"JURISDICTION_ENGLAND_AND_WALES\"}");
        assertThat(prep.statusCode()).as(prep.body()).isEqualTo(200);
        String prepName = JsonPath.read(prep.body(), "$.name");
        LocalDate firstWorkingDay = PublicHolidays.firstWorkingDayAfter(Jurisdiction.ENGLAND_AND_WALES, release);
        assertThat(prep.body()).contains("\"firstWorkingDayAfterRelease\":" + date(firstWorkingDay));
        HttpResponse<String> ready = post("/v1/" + prepName + ":recordChecklist", adviser,
                "{\"checklist\":{\"proofOfIdentityHeld\":true,\"bankAccountReady\":true,\"nationalInsuranceNumberVerified\":true,"
                        + "\"jobcentreAppointmentDate\":" + date(firstWorkingDay)
                        + ",\"expectedFirstPaymentDate\":" + date(release.plusDays(7)) + "}}");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat((Boolean) JsonPath.read(ready.body(), "$.ready")).as(ready.body()).isTrue();

        // the housing officer sees the benefits status only once consent allows BENEFITS
        assertThat(get("/v1/" + prepName, housing).statusCode()).isEqualTo(404);
        assertThat(post("/v1/" + person + "/consents", planner, """
                {"recipients":[{"agency":"leeds-housing"}],"categories":["DATA_CATEGORY_BENEFITS"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}""").statusCode()).isEqualTo(200);
        HttpResponse<String> seen = get("/v1/" + prepName, housing);
        assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
        assertThat((Boolean) JsonPath.read(seen.body(), "$.ready")).isTrue();
    }
}
