package bridge.benefits.partner;

import bridge.support.partner.PartnerClient;
import bridge.support.partner.PartnerOutcome;
import bridge.support.partner.PartnerRequest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import bridge.benefits.domain.ClaimStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * DWP/Jobcentre's claims API as our contract describes it (resources partner-api/dwp-claims.yaml),
 * over the shared partner client. A 2xx answer without the contract's required fields counts as
 * malformed (retryable).
 */
public final class DwpClaimsApi {

    /** What DWP says about a claim it received. */
    public record DwpClaim(String claimId, ClaimStatus status, LocalDate expectedFirstPayment) {
    }


    private final PartnerClient client;

    public DwpClaimsApi(PartnerClient client) {
        this.client = client;
    }

    public PartnerOutcome<DwpClaim> submit(String idempotencyKey, String submissionJson) {
        return client.call(PartnerRequest.post("/claims", idempotencyKey, submissionJson), DwpClaimsApi::claim);
    }

    public PartnerOutcome<DwpClaim> status(String dwpClaimId) {
        return client.call(PartnerRequest.get("/claims/" + URLEncoder.encode(dwpClaimId, StandardCharsets.UTF_8)),
                DwpClaimsApi::claim);
    }

    static DwpClaim claim(String body) {
        JsonObject o = JsonParser.parseString(body).getAsJsonObject();
        String id = o.get("claimId").getAsString();
        String status = o.get("status").getAsString();
        if (id.isEmpty() || !o.has("receivedAt")) {
            throw new IllegalArgumentException("claimId and receivedAt are required");
        }
        // DWP's words to ours: a received claim is what we call submitted; in review awaits a decision
        ClaimStatus mapped = switch (status) {
            case "RECEIVED" -> ClaimStatus.SUBMITTED;
            case "IN_REVIEW" -> ClaimStatus.AWAITING_DECISION;
            case "AWARDED" -> ClaimStatus.AWARDED;
            case "REFUSED" -> ClaimStatus.REFUSED;
            case "CLOSED" -> ClaimStatus.CLOSED;
            default -> throw new IllegalArgumentException("unknown status " + status);
        };
        LocalDate payment = o.has("expectedFirstPaymentDate") && !o.get("expectedFirstPaymentDate").isJsonNull()
                ? LocalDate.parse(o.get("expectedFirstPaymentDate").getAsString()) : null;
        return new DwpClaim(id, mapped, payment);
    }
}
