package bridge.benefits.domain;

import java.time.LocalDate;

/**
 * What must be in place before release for a claim to be made on day one.
 *
 * @param jobcentreAppointment     null until booked
 * @param expectedFirstPayment     null while unknown
 */
public record Checklist(boolean proofOfIdentityHeld, boolean bankAccountReady, boolean nationalInsuranceNumberVerified,
                        LocalDate jobcentreAppointment, LocalDate expectedFirstPayment) {

    public static final Checklist EMPTY = new Checklist(false, false, false, null, null);
}
