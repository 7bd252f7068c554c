package bridge.benefits.partner;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.partner.PartnerContract;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The local run's WireMock stubs of DWP (local/src/main/resources/wiremock) keep to our OpenAPI
 * contract of it: paths, declared statuses, required fields, enums.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DwpStubConformsTest {

    static final Path STUBS = Path.of("../../local/src/main/resources/wiremock");
    private final PartnerContract contract = PartnerContract.load("partner-api/dwp-claims.yaml");
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

    static String claim(String reference, String benefit) {
        return """
                {"claimReference":"%s","benefit":"%s","claimant":{"personReference":"p-1","nationalInsuranceNumber":"QQ123456C"},
                 "releaseDate":"2026-12-04","jobcentreAppointment":"2026-12-07","submittingAgency":"hmp-leeds"}"""
                .formatted(reference, benefit);
    }

    @Test
    void submittingAndPollingAClaimKeepToTheContract() throws Exception {
        assertThat(contract.operation("submitClaim")).containsExactly("/claims", "POST");
        Map<String, String> headers = Map.of("Idempotency-Key", "claim-c1", "Content-Type", "application/json");
        assertThat(contract.checkRequest("submitClaim", headers, claim("c1", "UNIVERSAL_CREDIT"))).isEmpty();
        HttpResponse<String> received = send("POST", "/claims", headers, claim("c1", "UNIVERSAL_CREDIT"));
        assertThat(received.statusCode()).isEqualTo(202);
        assertThat(contract.checkResponse("submitClaim", 202, received.body())).isEmpty();
        @SuppressWarnings("unchecked")
        String claimId = (String) ((Map<String, Object>) PartnerContract.json(received.body())).get("claimId");
        assertThat(send("POST", "/claims", headers, claim("c1", "UNIVERSAL_CREDIT")).body()).contains(claimId);

        assertThat(contract.operation("getClaim")).containsExactly("/claims/{claimId}", "GET");
        HttpResponse<String> status = send("GET", "/claims/" + claimId, Map.of(), null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(contract.checkResponse("getClaim", 200, status.body())).isEmpty();
        @SuppressWarnings("unchecked")
        String firstPayment = (String) ((Map<String, Object>) PartnerContract.json(status.body())).get("expectedFirstPaymentDate");
        assertThat(LocalDate.parse(firstPayment)).isAfter(LocalDate.now());
    }

    @Test
    void refusalsAreDeclaredProblems() throws Exception {
        HttpResponse<String> noKey = send("POST", "/claims", Map.of(), claim("c2", "PERSONAL_INDEPENDENCE_PAYMENT"));
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(contract.checkResponse("submitClaim", 400, noKey.body())).isEmpty();
        HttpResponse<String> badBenefit = send("POST", "/claims", Map.of("Idempotency-Key", "claim-c3"), claim("c3", "LOTTERY"));
        assertThat(badBenefit.statusCode()).isEqualTo(400);
        assertThat(contract.checkRequest("submitClaim", Map.of("Idempotency-Key", "k"), claim("c3", "LOTTERY")))
                .containsExactly("body.benefit is LOTTERY, not one of [UNIVERSAL_CREDIT, PERSONAL_INDEPENDENCE_PAYMENT, "
                        + "EMPLOYMENT_AND_SUPPORT_ALLOWANCE, HOUSING_COSTS]");
        HttpResponse<String> unknown = send("GET", "/claims/nope", Map.of(), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(contract.checkResponse("getClaim", 404, unknown.body())).isEmpty();
    }
}
