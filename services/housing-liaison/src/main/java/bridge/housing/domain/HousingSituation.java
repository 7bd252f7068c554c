package bridge.housing.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;

/** Where the person lived (or slept) from a date, as one agency recorded it. */
public record HousingSituation(String id, String personId, HousingStatus status, LocalDate startDate,
                               String localAuthority, String note, Actor recordedBy, Instant createdAt, long version) {

    public HousingSituation {
        localAuthority = localAuthority == null ? "" : localAuthority;
        note = note == null ? "" : note;
    }
}
