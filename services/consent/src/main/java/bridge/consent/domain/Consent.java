package bridge.consent.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.util.List;

/**
 * A person's agreement that named recipients may see named categories for named purposes.
 *
 * <p>Held as versions: {@code version} is 1 when recorded; later decisions (withdrawal, renewal)
 * add versions, and the history is kept.
 *
 * @param state the stored lifecycle state (ACTIVE or WITHDRAWN); use {@link #asOf(Instant)} for
 *              the state a reader sees, which also accounts for expiry
 */
public record Consent(String id, String personId, List<Recipient> recipients, List<DataCategory> categories,
                      List<Purpose> purposes, Instant validFrom, Instant validUntil, ConsentMethod method,
                      String capacityNote, ConsentState state, Actor recordedBy, Instant createdAt, long version) {

    public Consent {
        recipients = List.copyOf(recipients);
        categories = List.copyOf(categories);
        purposes = List.copyOf(purposes);
        capacityNote = capacityNote == null ? "" : capacityNote;
    }

    /** True when the consent's end has passed at {@code now} (the end itself is no longer valid). */
    public boolean isExpiredAt(Instant now) {
        return validUntil != null && !now.isBefore(validUntil);
    }

    /** The consent as a reader sees it at {@code now}: an active consent past its end is EXPIRED. */
    public Consent asOf(Instant now) {
        if (state == ConsentState.ACTIVE && isExpiredAt(now)) {
            return new Consent(id, personId, recipients, categories, purposes, validFrom, validUntil, method,
                    capacityNote, ConsentState.EXPIRED, recordedBy, createdAt, version);
        }
        return this;
    }
}
