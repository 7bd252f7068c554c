package bridge.benefits.domain;

import bridge.support.calendar.Jurisdiction;
import bridge.support.calendar.PublicHolidays;
import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A claim prepared before release, with its checklist, as one agency recorded it. */
public record ClaimPreparation(String id, String personId, Benefit benefit, LocalDate releaseDate,
                               Jurisdiction jurisdiction, Checklist checklist, String referral, Actor recordedBy,
                               Instant createdAt, Instant updatedAt, long version) {

    public ClaimPreparation {
        referral = referral == null ? "" : referral;
        checklist = checklist == null ? Checklist.EMPTY : checklist;
    }

    /** When the Jobcentre appointment should be: offices are shut on weekends and bank holidays. */
    public LocalDate firstWorkingDayAfterRelease() {
        return PublicHolidays.firstWorkingDayAfter(jurisdiction, releaseDate);
    }

    /** Every item done, and the appointment booked for the first working day after release. */
    public boolean ready() {
        return checklist.proofOfIdentityHeld() && checklist.bankAccountReady()
                && checklist.nationalInsuranceNumberVerified()
                && firstWorkingDayAfterRelease().equals(checklist.jobcentreAppointment());
    }

    /**
     * The open alerts on {@code today}.
     *
     * @param readinessDays  a preparation not ready this many days before release is an alert
     * @param paymentGapDays a first payment expected later than this many days after release (or
     *                       not known) is a payment gap; the alert stays until that many days after release
     */
    public List<ClaimAlert> alerts(LocalDate today, int readinessDays, int paymentGapDays) {
        List<ClaimAlert> out = new ArrayList<>();
        if (!ready() && !today.isAfter(releaseDate) && !releaseDate.isAfter(today.plusDays(readinessDays))) {
            out.add(ClaimAlert.NOT_READY);
        }
        LocalDate gapEnd = releaseDate.plusDays(paymentGapDays);
        if (!today.isAfter(gapEnd) && (checklist.expectedFirstPayment() == null || checklist.expectedFirstPayment().isAfter(gapEnd))) {
            out.add(ClaimAlert.PAYMENT_GAP);
        }
        return out;
    }

    public ClaimPreparation withChecklist(Checklist changed, Instant at) {
        return new ClaimPreparation(id, personId, benefit, releaseDate, jurisdiction, changed, referral, recordedBy,
                createdAt, at, version + 1);
    }
}
