package bridge.housing.partner;

import bridge.housing.domain.DutyToReferNotice;
import bridge.housing.domain.NoticeDeliveries;
import bridge.support.outbox.Outbox;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * Puts a written notice in the shared outbox as the authority's request body (contract
 * NoticeSubmission). Idempotency key "dtr-{notice id}": the same notice always makes the same
 * message, and the authority deduplicates on the same key. Ordering key: the person, so a person's
 * notices reach authorities in the order they were made.
 */
public final class OutboxNoticeDeliveries implements NoticeDeliveries {

    public static final String CHANNEL = "housing.duty-to-refer";

    private final Outbox outbox;

    public OutboxNoticeDeliveries(Outbox outbox) {
        this.outbox = outbox;
    }

    public static String idempotencyKey(String noticeId) {
        return "dtr-" + noticeId;
    }

    @Override
    public void schedule(DutyToReferNotice n) {
        outbox.enqueue(CHANNEL, n.personId(), idempotencyKey(n.id()), payload(n),
                Map.of("authorityCode", n.authorityCode(), "noticeId", n.id()));
    }

    static String payload(DutyToReferNotice n) {
        JsonObject person = new JsonObject();
        person.addProperty("personReference", n.personId());
        if (!n.contactPhone().isEmpty()) {
            person.addProperty("contactPhone", n.contactPhone());
        }
        if (!n.contactEmail().isEmpty()) {
            person.addProperty("contactEmail", n.contactEmail());
        }
        if (!n.contactNote().isEmpty()) {
            person.addProperty("contactNote", n.contactNote());
        }
        JsonObject o = new JsonObject();
        o.addProperty("referenceId", n.id());
        o.addProperty("referringAgency", n.recordedBy().agency());
        o.addProperty("referringOfficer", n.recordedBy().subject());
        o.add("person", person);
        // checked before the notice was written (DutyToRefer); the authority requires both
        o.addProperty("consentToReferral", true);
        o.addProperty("consentToShareContactDetails", true);
        if (n.expectedHomelessDate() != null) {
            o.addProperty("expectedHomelessDate", n.expectedHomelessDate().toString());
        }
        o.addProperty("reason", n.reason());
        return o.toString();
    }
}
