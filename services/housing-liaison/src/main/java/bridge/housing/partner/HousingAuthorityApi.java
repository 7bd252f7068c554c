package bridge.housing.partner;

import bridge.housing.domain.NoticeStatus;
import bridge.support.partner.PartnerClient;
import bridge.support.partner.PartnerOutcome;
import bridge.support.partner.PartnerRequest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The local housing authorities' duty-to-refer API as our contract describes it
 * (resources partner-api/housing-authority-duty-to-refer.yaml), over the shared partner client.
 * A 2xx answer without the contract's required fields counts as malformed (retryable).
 */
public final class HousingAuthorityApi {

    /** What the authority says about a notice. */
    public record NoticeReport(String noticeId, NoticeStatus status, String outcome) {
    }

    static final Set<String> OUTCOMES = Set.of("PREVENTION_DUTY_ACCEPTED", "RELIEF_DUTY_ACCEPTED", "MAIN_DUTY_ACCEPTED",
            "NO_DUTY_OWED", "CONTACT_NOT_MADE");

    private final PartnerClient client;

    public HousingAuthorityApi(PartnerClient client) {
        this.client = client;
    }

    public PartnerOutcome<NoticeReport> submit(String authorityCode, String idempotencyKey, String noticeJson) {
        return client.call(PartnerRequest.post("/authorities/" + encode(authorityCode) + "/duty-to-refer-notices",
                idempotencyKey, noticeJson), HousingAuthorityApi::report);
    }

    public PartnerOutcome<NoticeReport> status(String authorityCode, String authorityNoticeId) {
        return client.call(PartnerRequest.get("/authorities/" + encode(authorityCode) + "/duty-to-refer-notices/"
                + encode(authorityNoticeId)), HousingAuthorityApi::report);
    }

    static NoticeReport report(String body) {
        JsonObject o = JsonParser.parseString(body).getAsJsonObject();
        String id = o.get("noticeId").getAsString();
        String status = o.get("status").getAsString();
        if (id.isEmpty() || !o.has("receivedAt")) {
            throw new IllegalArgumentException("noticeId and receivedAt are required");
        }
        NoticeStatus mapped = switch (status) {
            case "RECEIVED" -> NoticeStatus.SENT;
            case "ACKNOWLEDGED" -> NoticeStatus.ACKNOWLEDGED;
            case "ASSESSMENT" -> NoticeStatus.ASSESSMENT;
            case "OUTCOME" -> NoticeStatus.OUTCOME;
            default -> throw new IllegalArgumentException("unknown status " + status);
        };
        String outcome = o.has("outcome") && !o.get("outcome").isJsonNull() ? o.get("outcome").getAsString() : null;
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("unknown outcome " + outcome);
        }
        return new NoticeReport(id, mapped, outcome);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
