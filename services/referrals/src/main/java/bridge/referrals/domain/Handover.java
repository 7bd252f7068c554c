package bridge.referrals.domain;

import java.util.List;

/**
 * Where the hand-over of a referral to the liaison service that acts on it stands (duty to refer →
 * housing-liaison, release → benefits-liaison).
 *
 * @param records what the liaison service made (its resource names), empty while pending
 * @param detail  while pending, why the last attempt did not complete; "" when done
 */
public record Handover(State state, List<String> records, String detail) {

    public enum State { PENDING, DONE }

    public Handover {
        records = records == null ? List.of() : List.copyOf(records);
        detail = detail == null ? "" : detail;
    }

    public static Handover pending(String detail) {
        return new Handover(State.PENDING, List.of(), detail);
    }

    public static Handover done(List<String> records) {
        return new Handover(State.DONE, records, "");
    }

    public boolean isDone() {
        return state == State.DONE;
    }
}
