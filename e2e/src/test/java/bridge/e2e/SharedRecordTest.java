package bridge.e2e;

import static bridge.e2e.Platform.get;
import static bridge.e2e.Platform.integrator;
import static bridge.e2e.Platform.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared record through the gateway with real tokens: composed per category from every service. */
class SharedRecordTest {

    @Test
    void aPartnerSeesWhatTheConsentAllowsAndIsToldWhatWasWithheld() {
        String prison = integrator("hmp-leeds");
        String person = JsonPath.read(post("/v1/people", prison, """
                {"preferredName":{"givenNames":"Jo","familyName":"Shared"},"dateOfBirth":{"year":1991,"month":7,"day":7}}""")
                .body(), "$.name");
        assertThat(post("/v1/" + person + "/housingSituations", prison,
                "{\"status\":\"HOUSING_STATUS_IN_CUSTODY\",\"startDate\":{\"year\":2026,\"month\":1,\"day\":1},\"note\":\"shared-housing\"}")
                .statusCode()).isEqualTo(200);
        assertThat(post("/v1/" + person + "/claims", prison, "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\"}").statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/" + person + "/consents", prison, """
                {"recipients":[{"agency":"forward-leeds"}],
                 "categories":["DATA_CATEGORY_IDENTITY","DATA_CATEGORY_HOUSING"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}""").statusCode()).isEqualTo(200);

        HttpResponse<String> r = get("/v1/" + person + "/sharedRecord", integrator("forward-leeds"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(r.body(), "$.person.preferredName.familyName")).isEqualTo("Shared");
        assertThat(r.body()).contains("shared-housing");
        List<String> withheld = JsonPath.read(r.body(), "$.withheldCategories[*]");
        assertThat(withheld).contains("DATA_CATEGORY_BENEFITS", "DATA_CATEGORY_JUSTICE");
        assertThat(r.body()).doesNotContain("BENEFIT_UNIVERSAL_CREDIT");
        List<String> states = JsonPath.read(r.body(), "$.parts[*].state");
        assertThat(states).hasSize(5).doesNotContain("STATE_UNAVAILABLE");

        // an agency without consent gets nothing at all, not a partial record
        HttpResponse<String> police = get("/v1/" + person + "/sharedRecord", integrator("met-police"));
        assertThat(police.statusCode()).isEqualTo(404);
        assertThat(police.body()).doesNotContain("Shared").doesNotContain("shared-housing");
    }
}
