package bridge.e2e;

import static bridge.e2e.CustodyReleasePathwayTest.assertProblem;
import static bridge.e2e.CustodyReleasePathwayTest.create;
import static bridge.e2e.CustodyReleasePathwayTest.person;
import static bridge.e2e.CustodyReleasePathwayTest.read;
import static bridge.e2e.Platform.get;
import static bridge.e2e.Platform.post;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Duty to refer through the gateway with real Keycloak tokens: the prison's referral is handed over
 * to housing-liaison within the create, as the prison. Without the person's consent to the referral
 * and to sharing contact details the create is refused naming what is missing and nothing is kept;
 * with it, the retry (same Idempotency-Key) makes exactly one notice, visible through the housing API
 * and named on the referral, and a further retry makes no second one.
 */
class ReferralHandoverTest {

    @Test
    void aDutyToReferReferralCreatesExactlyOneNoticeVisibleThroughTheHousingApi() {
        String prison = user("hmp-leeds-worker");
        String person = person(prison, "Handover");
        LocalDate homeless = LocalDate.now(CustodyReleasePathwayTest.UK).plusWeeks(3);
        String body = """
                {"person":"%s","pathway":"PATHWAY_DUTY_TO_REFER","performerAgency":"leeds-housing",
                 "reason":"Tenancy ended while in custody.",
                 "dutyToRefer":{"localHousingAuthority":"E08000035","circumstance":"HOUSING_CIRCUMSTANCE_HOMELESS",
                  "contactPhone":"0113 496 0000","expectedHomelessDate":{"year":%d,"month":%d,"day":%d}}}"""
                .formatted(person, homeless.getYear(), homeless.getMonthValue(), homeless.getDayOfMonth());
        String key = "e2e-handover-" + System.nanoTime();

        // no consent yet: housing-liaison refuses, the caller hears why, no referral is kept
        assertProblem(create(prison, body, key), 409, "CONSENT_TO_REFER_MISSING");
        HttpResponse<String> none = get("/v1/" + person + "/referrals", prison);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
        assertThat(none.body()).doesNotContain("PATHWAY_DUTY_TO_REFER");

        HttpResponse<String> consent = post("/v1/" + person + "/consents", prison, """
                {"recipients":[{"agency":"hmp-leeds"},{"agency":"leeds-housing"}],
                 "categories":["DATA_CATEGORY_REFERRALS","DATA_CATEGORY_CONTACT","DATA_CATEGORY_HOUSING"],
                 "purposes":["PURPOSE_REFERRAL"],"method":"CONSENT_METHOD_WRITTEN"}""");
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);

        HttpResponse<String> sent = create(prison, body, key);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        String name = JsonPath.read(sent.body(), "$.name");
        assertThat((String) JsonPath.read(sent.body(), "$.handover.state")).isEqualTo("HANDOVER_STATE_DONE");
        List<String> records = JsonPath.read(sent.body(), "$.handover.records");
        assertThat(records).hasSize(1);
        String notice = records.get(0);
        assertThat(notice).startsWith(person + "/dutyToReferNotices/");

        HttpResponse<String> read = get("/v1/" + notice, prison);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(read.body(), "$.referral")).isEqualTo(name);
        assertThat((String) JsonPath.read(read.body(), "$.authorityCode")).isEqualTo("E08000035");
        assertThat((String) JsonPath.read(read.body(), "$.reason")).isEqualTo("Homeless: Tenancy ended while in custody.");

        // the retried create returns the same referral naming the same single notice
        HttpResponse<String> retried = create(prison, body, key);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(retried.body(), "$.name")).isEqualTo(name);
        assertThat(JsonPath.<List<String>>read(retried.body(), "$.handover.records")).containsExactly(notice);
        List<String> dtr = JsonPath.read(get("/v1/" + person + "/referrals", prison).body(),
                "$.referrals[?(@.pathway == 'PATHWAY_DUTY_TO_REFER')].name");
        assertThat(dtr).containsExactly(name);
        // the receiving housing agency sees the hand-over with the referral (the person consented)
        assertThat((String) JsonPath.read(read(name, user("leeds-housing-worker")), "$.handover.records[0]")).isEqualTo(notice);
    }
}
