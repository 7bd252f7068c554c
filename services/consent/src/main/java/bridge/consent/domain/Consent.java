package bridge.consent.domain;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Instant;
import java.util.List;

/**
 * One version of a person's consent: named recipients may see named categories for named purposes.
 *
 * <p>A consent is a chain of versions. Version 1 is written when it is recorded; every amendment and
 * the withdrawal write the next version, and earlier versions stay in the history unchanged. The
 * consent's current version is the one the registry's pointer names; every other version is
 * {@link ConsentState#SUPERSEDED}.
 *
 * @param state      the stored state of this version: {@link ConsentState#ACTIVE} or
 *                   {@link ConsentState#WITHDRAWN}, or {@link ConsentState#SUPERSEDED} when read from
 *                   the history. EXPIRED and NOT_YET_VALID are never stored: see {@link #stateAt(Instant)}
 * @param recordedBy who recorded the consent (version 1); the agency that owns it
 * @param createdAt  when version 1 was recorded
 * @param version    1, 2, 3, ...
 * @param updatedAt  when this version was written
 * @param updatedBy  who wrote this version
 * @param withdrawal set on the version that withdrew the consent, else null
 */
public record Consent(String id, String personId, List<Recipient> recipients, List<DataCategory> categories,
                      List<Purpose> purposes, Instant validFrom, Instant validUntil, ConsentMethod method,
                      String capacityNote, ConsentState state, Actor recordedBy, Instant createdAt, long version,
                      Instant updatedAt, Actor updatedBy, Withdrawal withdrawal) {

    /** Who ended the consent, when, and why. */
    public record Withdrawal(Instant time, Actor by, String reason) {
        public Withdrawal {
            reason = reason == null ? "" : reason;
        }
    }

    public Consent {
        recipients = List.copyOf(recipients);
        categories = List.copyOf(categories);
        purposes = List.copyOf(purposes);
        capacityNote = capacityNote == null ? "" : capacityNote;
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        updatedBy = updatedBy == null ? recordedBy : updatedBy;
    }

    /**
     * The state a reader sees at {@code now}: a stored WITHDRAWN or SUPERSEDED stays so; otherwise
     * NOT_YET_VALID before {@code validFrom}, EXPIRED from {@code validUntil} on (the end itself is no
     * longer valid), else ACTIVE.
     */
    public ConsentState stateAt(Instant now) {
        if (state == ConsentState.WITHDRAWN || state == ConsentState.SUPERSEDED) {
            return state;
        }
        if (now.isBefore(validFrom)) {
            return ConsentState.NOT_YET_VALID;
        }
        if (validUntil != null && !now.isBefore(validUntil)) {
            return ConsentState.EXPIRED;
        }
        return ConsentState.ACTIVE;
    }

    /** True when the consent's end has passed at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return validUntil != null && !now.isBefore(validUntil);
    }

    /** In force: the current version, not withdrawn, and {@code validFrom <= now < validUntil}. */
    public boolean isInForceAt(Instant now) {
        return stateAt(now) == ConsentState.ACTIVE;
    }

    /** The consent as a reader sees it at {@code now} (computed state). */
    public Consent asOf(Instant now) {
        return withState(stateAt(now));
    }

    public Consent withState(ConsentState s) {
        return s == state ? this : new Consent(id, personId, recipients, categories, purposes, validFrom, validUntil,
                method, capacityNote, s, recordedBy, createdAt, version, updatedAt, updatedBy, withdrawal);
    }

    /**
     * The opaque etag of this version. It changes with every version, so an amendment or withdrawal
     * that carries it proves the caller saw the current version.
     */
    public String etag() {
        return etagOf(version);
    }

    public static String etagOf(long version) {
        return "v" + version;
    }

    public boolean isWithdrawn() {
        return state == ConsentState.WITHDRAWN;
    }

    public boolean covers(DataCategory category, Purpose purpose) {
        return categories.contains(category) && purposes.contains(purpose);
    }

    /** A recipient entry names this agency explicitly. */
    public boolean namesAgency(String agency) {
        return recipients.stream().anyMatch(r -> r.isNamedAgency() && r.agency().equals(agency));
    }

    /** A recipient entry names every agency of this type. */
    public boolean namesAgencyType(AgencyType type) {
        return recipients.stream().anyMatch(r -> !r.isNamedAgency() && r.agencyType() == type);
    }

    /** The caller's agency is a recipient: named, or by its type. */
    public boolean isRecipient(Caller caller) {
        return namesAgency(caller.agency()) || namesAgencyType(caller.agencyType());
    }

    public boolean isRecordedBy(Caller caller) {
        return recordedBy.agency().equals(caller.agency());
    }
}
