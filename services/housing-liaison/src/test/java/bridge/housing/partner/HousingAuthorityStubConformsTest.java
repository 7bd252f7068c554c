package bridge.housing.partner;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.partner.PartnerContract;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The local run's WireMock stubs of the housing authority (local/src/main/resources/wiremock)
 * keep to our OpenAPI contract of it: every operation answers at the contract's path with the
 * declared statuses and the required fields, and the requests we send keep to it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HousingAuthorityStubConformsTest {

    static final Path STUBS = Path.of("../../local/src/main/resources/wiremock");
    private final PartnerContract contract = PartnerContract.load("partner-api/housing-authority-duty-to-refer.yaml");
    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer wiremock;

    @BeforeAll
    void start() {
        wiremock = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .usingFilesUnderDirectory(STUBS.toString()));
        wiremock.start();
    }

    @AfterAll
    void stop() {
        wiremock.stop();
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(wiremock.baseUrl() + contract.basePath() + path));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String notice(String referenceId) {
        return """
                {"referenceId":"%s","referringAgency":"hmp-leeds","referringOfficer":"release-planner",
                 "person":{"personReference":"p-1","contactPhone":"07700 900123"},
                 "consentToReferral":true,"consentToShareContactDetails":true,
                 "expectedHomelessDate":"2026-12-04","reason":"release from custody"}""".formatted(referenceId);
    }

    @Test
    void submittingAndReadingANoticeKeepToTheContract() throws Exception {
        String[] submit = contract.operation("submitNotice");
        assertThat(submit).containsExactly("/authorities/{authorityCode}/duty-to-refer-notices", "POST");
        Map<String, String> headers = Map.of("Idempotency-Key", "dtr-n1", "Content-Type", "application/json");
        assertThat(contract.checkRequest("submitNotice", headers, notice("n1"))).isEmpty();

        HttpResponse<String> created = send("POST", "/authorities/E08000035/duty-to-refer-notices", headers, notice("n1"));
        assertThat(contract.checkResponse("submitNotice", created.statusCode(), created.body())).isEmpty();
        assertThat(created.statusCode()).isEqualTo(201);
        @SuppressWarnings("unchecked")
        String noticeId = (String) ((Map<String, Object>) PartnerContract.json(created.body())).get("noticeId");
        // the stub deduplicates as the contract says: the same key names the same notice
        HttpResponse<String> again = send("POST", "/authorities/E08000035/duty-to-refer-notices", headers, notice("n1"));
        assertThat(again.body()).contains("\"noticeId\":\"" + noticeId + "\"");

        HttpResponse<String> got = send("GET", "/authorities/E08000035/duty-to-refer-notices/" + noticeId, Map.of(), null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(contract.checkResponse("getNotice", got.statusCode(), got.body())).isEmpty();
        assertThat(got.body()).contains(noticeId);
    }

    @Test
    void refusalsAreDeclaredProblems() throws Exception {
        HttpResponse<String> noKey = send("POST", "/authorities/E08000035/duty-to-refer-notices",
                Map.of("Content-Type", "application/json"), notice("n2"));
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(contract.checkResponse("submitNotice", 400, noKey.body())).isEmpty();
        assertThat(contract.checkRequest("submitNotice", Map.of(), notice("n2"))).containsExactly("header Idempotency-Key is required");

        HttpResponse<String> noConsent = send("POST", "/authorities/E08000035/duty-to-refer-notices",
                Map.of("Idempotency-Key", "dtr-n3"), notice("n3").replace("\"consentToShareContactDetails\":true", "\"consentToShareContactDetails\":false"));
        assertThat(noConsent.statusCode()).isEqualTo(400);
        assertThat(contract.checkRequest("submitNotice", Map.of("Idempotency-Key", "k"),
                notice("n3").replace("\"consentToReferral\":true,", ""))).containsExactly("body.consentToReferral is required");

        HttpResponse<String> unknownAuthority = send("POST", "/authorities/E09999999/duty-to-refer-notices",
                Map.of("Idempotency-Key", "dtr-n4"), notice("n4"));
        assertThat(unknownAuthority.statusCode()).isEqualTo(404);
        assertThat(contract.checkResponse("submitNotice", 404, unknownAuthority.body())).isEmpty();

        HttpResponse<String> unknownNotice = send("GET", "/authorities/E08000035/duty-to-refer-notices/nope", Map.of(), null);
        assertThat(contract.checkResponse("getNotice", unknownNotice.statusCode(), unknownNotice.body())).isEmpty();
        assertThat(unknownNotice.statusCode()).isEqualTo(404);
    }

    @Test
    void theCheckerCatchesWhatAStubMightGetWrong() {
        assertThat(contract.checkResponse("getNotice", 200, "{\"noticeId\":\"x\",\"status\":\"LOST\",\"receivedAt\":\"2026-11-23T08:00:00Z\"}"))
                .containsExactly("body.status is LOST, not one of [RECEIVED, ACKNOWLEDGED, ASSESSMENT, OUTCOME]");
        assertThat(contract.checkResponse("getNotice", 200, "{\"status\":\"RECEIVED\",\"receivedAt\":\"yesterday\"}"))
                .containsExactlyInAnyOrder("body.receivedAt is not a date-time: yesterday", "body.noticeId is required");
        assertThat(contract.checkResponse("getNotice", 500, "{}")).containsExactly("status 500 is not declared for getNotice");
    }
}
