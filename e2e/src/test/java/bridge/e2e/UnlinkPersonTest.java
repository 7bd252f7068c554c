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
 * A data steward undoes a wrong silent link (ADR 0007) through the gateway, with real Keycloak tokens
 * and the real consent service: the realm's data-protection officer may, nobody else.
 */
class UnlinkPersonTest {

    @BeforeAll
    static void platform() {
        Platform.get();
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

    /** A valid NHS number (modulus 11) from a seed, so that reruns against a kept database stay apart. */
    private static String nhs(long seed) {
        for (long s = seed; ; s++) {
            String nine = String.format("%09d", s % 1_000_000_000L);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check != 10) {
                return nine + (check == 11 ? 0 : check);
            }
        }
    }

    /** A PNC ID with its check letter (year and serial digits mod 23, I, O and S omitted). */
    private static String pnc(long serial) {
        String digits = "%02d/%07d".formatted(serial % 100, serial % 10_000_000);
        long n = Long.parseLong(digits.replace("/", ""));
        return digits + "ZABCDEFGHJKLMNPQRTUVWXY".charAt((int) (n % 23));
    }

    @Test
    void onlyADataStewardUndoesASilentLinkAndTheAgencyGetsItsOwnRecordBack() {
        long seed = System.nanoTime() % 100_000_000L;
        String nhs = nhs(seed);
        String pnc = pnc(seed);
        String prison = integrator("hmp-leeds");
        String police = integrator("met-police");
        String name = JsonPath.read(ok(post("/v1/people?confirmNewPerson=true", prison, """
                {"preferredName":{"givenNames":"Ottilie","familyName":"Unlinkworth"},"dateOfBirth":{"year":1971,"month":6,"day":2},
                 "identifiers":[{"type":"IDENTIFIER_TYPE_NHS_NUMBER","value":"%s"}]}""".formatted(nhs))), "$.name");
        String policeRegistration = """
                {"preferredName":{"givenNames":"Ottilie","familyName":"Unlinkworth"},"dateOfBirth":{"year":1971,"month":6,"day":2},
                 "identifiers":[{"type":"IDENTIFIER_TYPE_NHS_NUMBER","value":"%s"},{"type":"IDENTIFIER_TYPE_PNC_ID","value":"%s"}]}"""
                .formatted(nhs, pnc);
        // the police may not see the prison's record: linked silently, answered with what they registered
        assertThat((String) JsonPath.read(ok(post("/v1/people", police, policeRegistration)), "$.name")).isEqualTo(name);

        String unlink = """
                {"agency":"met-police","reason":"the NHS number was typed wrong, confirmed with the police","requestId":"e2e-unlink-%d"}"""
                .formatted(seed);
        for (String notSteward : List.of(prison, police, user("hmp-leeds-manager"), user("platform-operator"))) {
            problem(post("/v1/" + name + ":unlink", notSteward, unlink), 403);
        }
        String dpo = user("dpo");
        HttpResponse<String> noReason = post("/v1/" + name + ":unlink", dpo, "{\"agency\":\"met-police\"}");
        problem(noReason, 400);
        assertThat((List<String>) JsonPath.read(noReason.body(), "$.errors[*].field")).containsExactly("reason");
        problem(post("/v1/" + name + ":unlink", dpo, "{\"agency\":\"leeds-housing\",\"reason\":\"not linked\"}"), 409);

        String unlinked = ok(post("/v1/" + name + ":unlink", dpo, unlink));
        String own = JsonPath.read(unlinked, "$.unlinkedPerson");
        assertThat(own).startsWith("people/").isNotEqualTo(name);
        assertThat((String) JsonPath.read(unlinked, "$.person")).isEqualTo(name);
        assertThat((String) JsonPath.read(unlinked, "$.unlinkedBy.subject")).isNotEmpty();
        assertThat(unlinked).doesNotContain("Unlinkworth");
        assertThat(ok(post("/v1/" + name + ":unlink", dpo, unlink))).as("a retry is the same unlink").isEqualTo(unlinked);

        // the police: the old id is not found; its own record, registered by itself, found by its identifiers
        problem(get("/v1/" + name, police), 404);
        String theirs = ok(get("/v1/" + own, police));
        assertThat((String) JsonPath.read(theirs, "$.registeredBy.agency")).isEqualTo("met-police");
        assertThat((List<String>) JsonPath.read(theirs, "$.identifiers[*].value")).contains(pnc);
        assertThat(theirs).doesNotContain("hmp-leeds");
        assertThat((String) JsonPath.read(ok(get("/v1/people:lookup?identifier.type=IDENTIFIER_TYPE_PNC_ID&identifier.value="
                + pnc.replace("/", "%2F"), police)), "$.name")).isEqualTo(own);
        assertThat((List<String>) JsonPath.read(ok(get("/v1/" + own + "/careTeam", police)), "$.history[*].kind"))
                .containsExactly("CARE_TEAM_EVENT_KIND_JOINED", "CARE_TEAM_EVENT_KIND_UNLINKED");

        // the prison: its record as it was, the police's entry gone
        String prisons = ok(get("/v1/" + name, prison));
        assertThat((List<String>) JsonPath.read(prisons, "$.careTeam[*].agency")).containsExactly("hmp-leeds");
        assertThat(prisons).doesNotContain(pnc).doesNotContain("met-police");
        problem(get("/v1/" + own, prison), 404);
    }
}
