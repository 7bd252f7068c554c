package bridge.housing.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/** Accommodation secured for release: what kind, who secured it, and who recorded that. */
public record Accommodation(HousingStatus type, String securedBy, String note, Actor recordedBy, Instant securedAt) {

    public Accommodation {
        note = note == null ? "" : note;
    }
}
