package bridge.referrals.domain;

import bridge.support.errors.Violations;
import java.time.Instant;
import java.util.HashSet;

/** What appointment and re-engagement requests, and a disengagement plan, must satisfy (request field names). */
public final class EngagementRules {

    static final int MAX_NOTE = 2000;

    private EngagementRules() {
    }

    /** @param plan null means the standard plan */
    public static void validatePlan(DisengagementPlan plan, String field, Violations v) {
        if (plan == null) {
            return;
        }
        if (plan.missedInARow() < 1 || plan.missedInARow() > DisengagementPlan.MAX_MISSED_IN_A_ROW) {
            v.add(field + ".missed_in_a_row", "from 1 to " + DisengagementPlan.MAX_MISSED_IN_A_ROW);
        }
        if (plan.steps().isEmpty()) {
            v.add(field + ".steps", "at least one re-engagement step");
        } else if (plan.steps().stream().anyMatch(java.util.Objects::isNull)) {
            v.add(field + ".steps", "must name steps (UNSPECIFIED or unrecognised values are not one)");
        } else if (new HashSet<>(plan.steps()).size() != plan.steps().size()) {
            v.add(field + ".steps", "must not repeat a step");
        }
    }

    static void validateAppointment(String etag, String appointmentId, Instant start, Appointment.Outcome outcome,
                                    Instant now, Violations v) {
        etag(etag, v);
        if (outcome == null) {
            v.add("outcome", "is required: offered, attended or missed");
        }
        boolean isNew = appointmentId == null || appointmentId.isEmpty();
        if (isNew && start == null) {
            v.add("start_time", "is required for a new appointment");
        }
        if (!isNew && outcome == Appointment.Outcome.OFFERED) {
            v.add("outcome", "an offered appointment gets attended or missed; offer another as a new appointment");
        }
        if (start != null && outcome != null && outcome.isFact() && start.isAfter(now)) {
            v.add("start_time", "must not be in the future for an attended or missed appointment");
        }
    }

    static void validateStep(String etag, DisengagementPlan.Step step, String note, Violations v) {
        etag(etag, v);
        if (step == null) {
            v.add("kind", "is required");
        }
        if (note != null && note.codePointCount(0, note.length()) > MAX_NOTE) {
            v.add("note", "at most " + MAX_NOTE + " characters");
        }
    }

    private static void etag(String etag, Violations v) {
        if (etag == null || etag.isBlank()) {
            v.add("etag", "is required: pass the etag of the referral as you read it");
        }
    }
}
