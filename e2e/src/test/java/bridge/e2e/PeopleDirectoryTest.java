package bridge.e2e;

import static bridge.e2e.Platform.get;
import static bridge.e2e.Platform.integrator;
import static bridge.e2e.Platform.post;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The people directory through the gateway with real Keycloak tokens and the real consent service:
 * lookup, search, registration meeting existing people, care-team entries shown per consent, and
 * merging restricted to a data steward (the realm's data-protection officer).
 */
class PeopleDirectoryTest {

    @BeforeAll
    static void platform() {
        Platform.get();
    }

    private static String person(String given, String family, int year, String nhs, String pnc) {
        return """
                {"preferredName":{"givenNames":"%s","familyName":"%s"},
                 "dateOfBirth":{"year":%d,"month":9,"day":17},
                 "identifiers":[{"type":"IDENTIFIER_TYPE_NHS_NUMBER","value":"%s"},
                                {"type":"IDENTIFIER_TYPE_PNC_ID","value":"%s"}]}""".formatted(given, family, year, nhs, pnc);
    }

    private static String ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static void problem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at bridge.");
    }

    @Test
    void lookupAndSearchFindOnlyWhomTheCallerMaySee() {
        String prison = integrator("hmp-leeds");
        String name = JsonPath.read(ok(post("/v1/people", prison, person("Ottoline", "Brackenbury", 1966,
                "401 023 2153", "86/1234567D"))), "$.name");

        String lookup = "/v1/people:lookup?identifier.type=IDENTIFIER_TYPE_NHS_NUMBER&identifier.value=4010232153";
        assertThat((String) JsonPath.read(ok(get(lookup, prison)), "$.name")).isEqualTo(name);
        HttpResponse<String> police = get(lookup, integrator("met-police"));
        problem(police, 404);
        assertThat(police.body()).doesNotContain("Brackenbury").doesNotContain(name);
        HttpResponse<String> nobody = get("/v1/people:lookup?identifier.type=IDENTIFIER_TYPE_NHS_NUMBER&identifier.value=4010232161",
                integrator("met-police"));
        problem(nobody, 404);
        assertThat((String) JsonPath.read(police.body(), "$.detail")).isEqualTo(JsonPath.read(nobody.body(), "$.detail"));
        HttpResponse<String> bad = get("/v1/people:lookup?identifier.type=IDENTIFIER_TYPE_NHS_NUMBER&identifier.value=4010232154", prison);
        problem(bad, 400);
        assertThat((List<String>) JsonPath.read(bad.body(), "$.errors[*].field")).contains("identifier.value");

        String search = """
                {"givenNames":"Otoline","familyName":"Brackenbery","dateOfBirth":{"year":1966,"month":17,"day":9}}""";
        problem(post("/v1/people:search", prison, search), 400);
        String found = ok(post("/v1/people:search", prison, search.replace("\"month\":17,\"day\":9", "\"month\":9,\"day\":17")));
        assertThat((List<String>) JsonPath.read(found, "$.candidates[*].person.name")).contains(name);
        assertThat((List<String>) JsonPath.read(found, "$.candidates[0].reasons")).isNotEmpty();
        // the police may not see the prison's record: no candidate (an empty list is left out of the JSON)
        assertThat(ok(post("/v1/people:search", integrator("met-police"),
                search.replace("\"month\":17,\"day\":9", "\"month\":9,\"day\":17")))).doesNotContain(name)
                .doesNotContain("Brackenbury");
        problem(post("/v1/people:search", prison, "{\"familyName\":\"   \"}"), 400);
    }

    @Test
    void registeringSomeoneWhoExistsLinksOrNamesTheDuplicateAndRevealsNothing() {
        String prison = integrator("hmp-leeds");
        String body = person("Jago", "Penrose-Tull", 1971, "401 023 2188", "71/7654321U");
        String name = JsonPath.read(ok(post("/v1/people", prison, body)), "$.name");

        // the police may not see the prison's record: linked silently, answered with what they sent
        String polices = ok(post("/v1/people", integrator("met-police"), body));
        assertThat((String) JsonPath.read(polices, "$.name")).isEqualTo(name);
        assertThat((String) JsonPath.read(polices, "$.registeredBy.agency")).isEqualTo("met-police");
        assertThat((List<String>) JsonPath.read(polices, "$.careTeam[*].agency")).containsExactly("met-police");
        assertThat(polices).doesNotContain("hmp-leeds");

        // the prison, who may see its own record, is told of the likely duplicate and can confirm
        String misspelt = """
                {"preferredName":{"givenNames":"Jago","familyName":"Penrose-Tulle"},"dateOfBirth":{"year":1971,"month":9,"day":17}}""";
        HttpResponse<String> refused = post("/v1/people", prison, misspelt);
        problem(refused, 409);
        assertThat(refused.body()).contains(name);
        String second = JsonPath.read(ok(post("/v1/people?confirmNewPerson=true", prison, misspelt)), "$.name");
        assertThat(second).isNotEqualTo(name);
    }

    @Test
    void careTeamEntriesAreShownOnlyUnderAConsentForWhatTheyReveal() {
        String prison = integrator("hmp-leeds");
        String treatment = integrator("forward-leeds");
        String name = JsonPath.read(ok(post("/v1/people", prison, person("Morwenna", "Quiller-Voss", 1988,
                "401 023 2196", "88/2345678N"))), "$.name");
        // without a consent the treatment service cannot find the person to join
        problem(post("/v1/" + name + "/careTeam:join", treatment, "{\"role\":\"keyworker\"}"), 404);
        ok(post("/v1/" + name + "/consents", prison, """
                {"recipients":[{"agency":"forward-leeds"}],"categories":["DATA_CATEGORY_IDENTITY"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}"""));
        problem(post("/v1/" + name + "/careTeam:join", treatment, "{\"role\":\"keyworker\",\"favourite\":1}"), 400);
        String joined = ok(post("/v1/" + name + "/careTeam:join", treatment, """
                {"role":"keyworker","leadContact":{"displayName":"Sam Okoro","phone":"0113 496 0000"}}"""));
        assertThat((String) JsonPath.read(joined, "$.name")).isEqualTo(name + "/careTeam/forward-leeds");

        // the prison does not see that a treatment service is involved: that is SUBSTANCE_USE
        String hidden = ok(get("/v1/" + name + "/careTeam", prison));
        assertThat((List<String>) JsonPath.read(hidden, "$.members[*].agency")).containsExactly("hmp-leeds");
        assertThat(hidden).doesNotContain("forward-leeds").doesNotContain("Okoro");
        assertThat((List<String>) JsonPath.read(hidden, "$.withheldCategories")).contains("DATA_CATEGORY_SUBSTANCE_USE");
        assertThat(ok(get("/v1/" + name, prison))).doesNotContain("forward-leeds");

        // the person agrees: the treatment service records a consent naming the prison
        ok(post("/v1/" + name + "/consents", treatment, """
                {"recipients":[{"agency":"hmp-leeds"}],"categories":["DATA_CATEGORY_SUBSTANCE_USE"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}"""));
        String shown = ok(get("/v1/" + name + "/careTeam", prison));
        assertThat((List<String>) JsonPath.read(shown, "$.members[*].agency")).containsExactly("hmp-leeds", "forward-leeds");
        assertThat((String) JsonPath.read(shown, "$.members[1].leadContact.displayName")).isEqualTo("Sam Okoro");
        assertThat((List<String>) JsonPath.read(shown, "$.history[*].kind")).containsExactly(
                "CARE_TEAM_EVENT_KIND_JOINED", "CARE_TEAM_EVENT_KIND_JOINED");

        ok(post("/v1/" + name + "/careTeam:leave", treatment, "{\"reason\":\"treatment completed\"}"));
        assertThat((List<String>) JsonPath.read(ok(get("/v1/" + name + "/careTeam", prison)), "$.history[*].kind"))
                .containsExactly("CARE_TEAM_EVENT_KIND_JOINED", "CARE_TEAM_EVENT_KIND_JOINED", "CARE_TEAM_EVENT_KIND_LEFT");
    }

    @Test
    void onlyADataStewardMergesAndUnmerges() {
        String prison = integrator("hmp-leeds");
        String a = JsonPath.read(ok(post("/v1/people?confirmNewPerson=true", prison, """
                {"preferredName":{"givenNames":"Tamsin","familyName":"Elphinstone"},"dateOfBirth":{"year":1990,"month":3,"day":4}}""")),
                "$.name");
        String b = JsonPath.read(ok(post("/v1/people?confirmNewPerson=true", prison, """
                {"preferredName":{"givenNames":"Tamsyn","familyName":"Elphinstone"},"dateOfBirth":{"year":1990,"month":3,"day":4}}""")),
                "$.name");
        String merge = """
                {"survivor":"%s","merged":"%s","reason":"same person, confirmed by the prison","requestId":"e2e-merge-%d"}"""
                .formatted(a, b, System.nanoTime());
        for (String notSteward : List.of(prison, user("hmp-leeds-manager"), user("platform-operator"))) {
            problem(post("/v1/people:merge", notSteward, merge), 403);
            problem(get("/v1/duplicateReviews", notSteward), 403);
        }
        String dpo = user("dpo");
        assertThat(ok(get("/v1/duplicateReviews?pageSize=5", dpo))).doesNotContain("Elphinstone");
        String merged = ok(post("/v1/people:merge", dpo, merge));
        String mergeName = JsonPath.read(merged, "$.name");
        assertThat((String) JsonPath.read(merged, "$.mergedBy.subject")).isNotEmpty();
        assertThat((String) JsonPath.read(ok(get("/v1/" + b, prison)), "$.name")).isEqualTo(a);
        assertThat((List<String>) JsonPath.read(ok(get("/v1/" + a, prison)), "$.otherNames[*].givenNames")).contains("Tamsyn");

        problem(post("/v1/" + mergeName + ":unmerge", prison, "{\"reason\":\"not the same\"}"), 403);
        String undone = ok(post("/v1/" + mergeName + ":unmerge", dpo, "{\"reason\":\"different people after all\"}"));
        assertThat((String) JsonPath.read(undone, "$.unmergeReason")).isEqualTo("different people after all");
        assertThat((String) JsonPath.read(ok(get("/v1/" + b, prison)), "$.name")).isEqualTo(b);
    }
}
