package bridge.benefits.partner;

import bridge.benefits.domain.Claim;
import bridge.benefits.domain.ClaimSubmissions;
import bridge.support.outbox.Outbox;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * Puts a submitted claim in the shared outbox as DWP's request body (contract ClaimSubmission).
 * Idempotency key "claim-{claim id}": the same claim always makes the same message, and DWP
 * deduplicates on the same key. Ordering key: the person, so a person's claims reach DWP in the
 * order they were submitted.
 */
public final class OutboxClaimSubmissions implements ClaimSubmissions {

    public static final String CHANNEL = "benefits.dwp-claim";

    private final Outbox outbox;

    public OutboxClaimSubmissions(Outbox outbox) {
        this.outbox = outbox;
    }

    public static String idempotencyKey(String claimId) {
        return "claim-" + claimId;
    }

    @Override
    public void schedule(Claim c) {
        outbox.enqueue(CHANNEL, c.personId(), idempotencyKey(c.id()), payload(c), Map.of("claimId", c.id()));
    }

    static String payload(Claim c) {
        JsonObject claimant = new JsonObject();
        // an opaque reference only: we hold no NI number, and DWP matches the person at the appointment
        claimant.addProperty("personReference", c.personId());
        JsonObject o = new JsonObject();
        o.addProperty("claimReference", c.id());
        o.addProperty("benefit", c.benefit().name());
        o.add("claimant", claimant);
        o.addProperty("submittingAgency", c.recordedBy().agency());
        return o.toString();
    }
}
