package bridge.housing.domain;

import bridge.support.calendar.Jurisdiction;
import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Where the person will live on release from custody, as one agency planned it.
 *
 * @param accommodation null until secured
 * @param referral      the referral that handed the plan over (referrals/{id}), or empty
 * @param version       grows with every change; the contract's etag
 */
public record ReleasePlan(String id, String personId, LocalDate releaseDate, String releasingEstablishment,
                          String localAuthorityCode, Jurisdiction jurisdiction, Accommodation accommodation,
                          String referral, String note, Actor recordedBy, Instant createdAt, Instant updatedAt,
                          long version) {

    public ReleasePlan {
        releasingEstablishment = releasingEstablishment == null ? "" : releasingEstablishment;
        localAuthorityCode = localAuthorityCode == null ? "" : localAuthorityCode;
        referral = referral == null ? "" : referral;
        note = note == null ? "" : note;
    }

    public boolean accommodationSecured() {
        return accommodation != null;
    }

    public ReleasePlan withAccommodation(Accommodation secured, Instant at) {
        return new ReleasePlan(id, personId, releaseDate, releasingEstablishment, localAuthorityCode, jurisdiction,
                secured, referral, note, recordedBy, createdAt, at, version + 1);
    }
}
