package bridge.e2e;

import static bridge.e2e.Platform.get;
import static bridge.e2e.Platform.integrator;
import static bridge.e2e.Platform.post;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Broken object-level authorisation: every person-scoped read route, called with another agency's
 * person ids and tokens (no consent, no legal basis), answers 403 or 404 — single resources and
 * lists alike — and never returns any content of the foreign records.
 */
class BolaTest {

    @Test
    void foreignIdsWithOtherAgenciesTokensRevealNothing() {
        String owner = integrator("leeds-nhs");
        String person = JsonPath.read(post("/v1/people", owner, """
                {"preferredName":{"givenNames":"Bo","familyName":"Foreignrecord"},
                 "dateOfBirth":{"year":1985,"month":5,"day":5},
                 "contactDetails":[{"method":"CONTACT_METHOD_EMAIL","value":"bo@example.org"}]}""").body(), "$.name");
        String consent = JsonPath.read(post("/v1/" + person + "/consents", owner, """
                {"recipients":[{"agency":"forward-leeds"}],"categories":["DATA_CATEGORY_MENTAL_HEALTH"],
                 "purposes":["PURPOSE_REFERRAL"],"method":"CONSENT_METHOD_VERBAL","capacityNote":"foreign-consent-note"}""")
                .body(), "$.name");
        String housing = JsonPath.read(post("/v1/" + person + "/housingSituations", owner,
                "{\"status\":\"HOUSING_STATUS_TEMPORARY\",\"startDate\":{\"year\":2026,\"month\":2,\"day\":1},"
                        + "\"note\":\"foreign-housing-note\"}").body(), "$.name");
        String claim = JsonPath.read(post("/v1/" + person + "/claims", owner, "{\"benefit\":\"BENEFIT_PERSONAL_INDEPENDENCE_PAYMENT\"}")
                .body(), "$.name");
        String referral = JsonPath.read(post("/v1/referrals", owner, """
                {"person":"%s","pathway":"PATHWAY_LIAISON_AND_DIVERSION","performerAgency":"north-probation",
                 "reason":"foreign-referral-reason","liaisonAndDiversion":{"contactPoint":"CONTACT_POINT_POLICE_CUSTODY",
                 "needs":["PRESENTING_NEED_MENTAL_HEALTH"]}}""".formatted(person)).body(), "$.name");

        List<String> singles = List.of("/v1/" + person, "/v1/" + consent, "/v1/" + claim, "/v1/" + referral);
        List<String> lists = List.of("/v1/" + person + "/consents", "/v1/" + person + "/housingSituations",
                "/v1/" + consent + "/versions", "/v1/" + person + "/legalBases", "/v1/" + person + "/accessRecords",
                "/v1/" + person + "/claims", "/v1/" + person + "/referrals", "/v1/" + person + "/sharedRecord");
        List<String> secrets = List.of("Foreignrecord", "bo@example.org", "foreign-consent-note", "foreign-housing-note",
                "foreign-referral-reason", "PERSONAL_INDEPENDENCE");
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (String token : List.of(integrator("met-police"), integrator("leeds-housing"), user("peer-navigators-worker"),
                integrator("dwp-leeds"), user("platform-operator"))) {
            for (String path : singles) {
                HttpResponse<String> r = get(path, token);
                calls++;
                if (r.statusCode() != 403 && r.statusCode() != 404) {
                    problems.add(path + " -> " + r.statusCode());
                }
                secrets.stream().filter(r.body()::contains).forEach(s -> problems.add(path + " leaked " + s));
            }
            for (String path : lists) {
                HttpResponse<String> r = get(path, token);
                calls++;
                if (r.statusCode() != 403 && r.statusCode() != 404) {
                    problems.add(path + " -> " + r.statusCode());
                }
                secrets.stream().filter(r.body()::contains).forEach(s -> problems.add(path + " leaked " + s));
            }
        }
        System.out.printf("BOLA: %d calls with foreign ids, %d problems%n", calls, problems.size());
        assertThat(problems).isEmpty();
        // the owner still sees everything it recorded
        assertThat(get("/v1/" + housing.substring(0, housing.lastIndexOf('/')), owner).body()).contains("foreign-housing-note");
    }
}
