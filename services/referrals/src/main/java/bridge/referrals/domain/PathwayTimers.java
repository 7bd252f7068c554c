package bridge.referrals.domain;

/**
 * One pathway's timers.
 *
 * @param acknowledgeWorkingDays   acknowledge within this many working days (Monday to Friday) of sending
 * @param firstAppointmentDays     first appointment (started) within this many calendar days of sending
 */
public record PathwayTimers(int acknowledgeWorkingDays, int firstAppointmentDays) {

    public PathwayTimers {
        if (acknowledgeWorkingDays < 1 || firstAppointmentDays < 1) {
            throw new IllegalArgumentException("pathway timers must be at least one day");
        }
    }
}
