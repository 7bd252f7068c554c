package bridge.benefits.partner;

import bridge.support.partner.PartnerClient;
import bridge.support.partner.PartnerOutcome;
import bridge.support.partner.PartnerRequest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Set;

/**
 * DWP/Jobcentre's claims API as our contract describes it (resources partner-api/dwp-claims.yaml),
 * over the shared partner client. A 2xx answer without the contract's required fields counts as
 * malformed (retryable).
 */
public final class DwpClaimsApi {

    /** What DWP says about a claim it received. */
    public record DwpClaim(String claimId, String status) {
    }

    static final Set<String> STATUSES = Set.of("RECEIVED", "IN_REVIEW", "AWARDED", "REFUSED", "CLOSED");

    private final PartnerClient client;

    public DwpClaimsApi(PartnerClient client) {
        this.client = client;
    }

    public PartnerOutcome<DwpClaim> submit(String idempotencyKey, String submissionJson) {
        return client.call(PartnerRequest.post("/claims", idempotencyKey, submissionJson), DwpClaimsApi::claim);
    }

    static DwpClaim claim(String body) {
        JsonObject o = JsonParser.parseString(body).getAsJsonObject();
        String id = o.get("claimId").getAsString();
        String status = o.get("status").getAsString();
        if (id.isEmpty() || !o.has("receivedAt")) {
            throw new IllegalArgumentException("claimId and receivedAt are required");
        }
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("unknown status " + status);
        }
        return new DwpClaim(id, status);
    }
}
