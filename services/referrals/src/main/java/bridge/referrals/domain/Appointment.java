package bridge.referrals.domain;

import bridge.support.identity.Actor;
import java.time.Instant;

/**
 * One appointment with the receiving agency: offered for a time, then attended or missed (facts,
 * not changed afterwards).
 *
 * @param recordedBy who recorded the latest outcome, at {@code recordedAt}
 */
public record Appointment(String id, Instant start, Outcome outcome, Actor recordedBy, Instant recordedAt) {

    public enum Outcome {
        OFFERED, ATTENDED, MISSED;

        /** Attended and missed happened: their time is not in the future and they are final. */
        public boolean isFact() {
            return this != OFFERED;
        }
    }
}
