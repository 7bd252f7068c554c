package bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import net.minidev.json.JSONArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every list RPC, through the gateway with real tokens, asked for 100,000 items: the answer is a
 * page no larger than the list's documented cap (AIP-158: a page size over the maximum is coerced to
 * the maximum), never an error or an unbounded page; a negative page size is a 400 naming
 * {@code page_size}.
 */
class AbusePageSizeTest {

    record ListCall(String name, String method, String path, String body, String itemsPath, int cap, String token) {
    }

    static String person;
    static final List<ListCall> lists = new ArrayList<>();

    @BeforeAll
    static void personAndLists() {
        String prison = Platform.integrator("hmp-leeds");
        HttpResponse<String> created = Platform.post("/v1/people", prison,
                "{\"preferredName\":{\"givenNames\":\"Page\",\"familyName\":\"Cap\"},"
                        + "\"dateOfBirth\":{\"year\":1980,\"month\":1,\"day\":2}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        person = JsonPath.read(created.body(), "$.name");
        String dpo = Platform.user("dpo");
        lists.add(new ListCall("ListReferrals", "GET", "/v1/" + person + "/referrals?purpose=PURPOSE_DIRECT_SUPPORT&pageSize=%d",
                null, "$.referrals", 100, prison));
        lists.add(new ListCall("ListOverdueReferrals", "GET", "/v1/referrals:overdue?pageSize=%d", null, "$.referrals", 100, prison));
        lists.add(new ListCall("ListClaims", "GET", "/v1/" + person + "/claims?purpose=PURPOSE_DIRECT_SUPPORT&pageSize=%d",
                null, "$.claims", 100, prison));
        lists.add(new ListCall("ListHousingSituations", "GET",
                "/v1/" + person + "/housingSituations?purpose=PURPOSE_DIRECT_SUPPORT&pageSize=%d", null, "$.housingSituations", 100, prison));
        lists.add(new ListCall("ListConsents", "GET", "/v1/" + person + "/consents?pageSize=%d", null, "$.consents", 100, prison));
        lists.add(new ListCall("ListAccessRecords", "GET", "/v1/" + person + "/accessRecords?pageSize=%d", null, "$.accessRecords", 100, prison));
        lists.add(new ListCall("ListLegalBasisReviews", "GET", "/v1/legalBasisReviews?pageSize=%d", null, "$.legalBases", 100, dpo));
        lists.add(new ListCall("SearchPeople", "POST", "/v1/people:search", "{\"familyName\":\"Cap\",\"pageSize\":%d,"
                + "\"purpose\":\"PURPOSE_DIRECT_SUPPORT\"}", "$.candidates", 50, prison));
    }

    private static HttpResponse<String> call(ListCall l, int pageSize) {
        return l.method().equals("GET") ? Platform.get(l.path().formatted(pageSize), l.token())
                : Platform.post(l.path(), l.token(), l.body().formatted(pageSize));
    }

    @Test
    void aHugePageSizeGetsAtMostTheCap() {
        int answered = 0;
        for (ListCall l : lists) {
            HttpResponse<String> r = call(l, 100_000);
            assertThat(r.statusCode()).as(l.name() + " " + r.body()).isIn(200, 403, 404);
            if (r.statusCode() == 200) {
                answered++;
                Object items = readOrEmpty(r.body(), l.itemsPath());
                assertThat(((List<?>) items).size()).as(l.name()).isLessThanOrEqualTo(l.cap());
            }
        }
        assertThat(answered).as("lists that answered 200").isGreaterThanOrEqualTo(6);
    }

    @Test
    void aNegativePageSizeIs400NamingTheField() {
        for (ListCall l : lists) {
            HttpResponse<String> r = call(l, -1);
            if (r.statusCode() == 403 || r.statusCode() == 404) {
                continue; // the caller may not list this at all: refused before the page size matters
            }
            assertThat(r.statusCode()).as(l.name() + " " + r.body()).isEqualTo(400);
            assertThat(r.body()).as(l.name()).contains("page_size");
        }
    }

    private static Object readOrEmpty(String json, String path) {
        try {
            return JsonPath.read(json, path);
        } catch (com.jayway.jsonpath.PathNotFoundException e) {
            return new JSONArray(); // empty repeated fields are left out of canonical JSON
        }
    }
}
