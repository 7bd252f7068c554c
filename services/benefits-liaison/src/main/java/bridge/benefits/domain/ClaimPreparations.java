package bridge.benefits.domain;

import bridge.support.calendar.Jurisdiction;
import bridge.support.consent.ConsentDecisions;
import bridge.support.people.PersonVisibility;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Pre-release claim preparation: the checklist (identity, bank account, NI number, Jobcentre
 * appointment on the first working day after release), readiness and payment-gap alerts computed
 * on every read against the partnership's calendar day. Visibility as for claims: the recording
 * agency, and others under an allowing BENEFITS decision (asked afresh); otherwise "not found".
 */
public final class ClaimPreparations {

    static final int MAX_REQUEST_ID_LENGTH = 128;
    static final int MAX_YEARS_AHEAD = 30;
    static final Pattern REFERRAL = Pattern.compile("referrals/[A-Za-z0-9_-]{1,64}");

    private final ClaimPreparationRepository preparations;
    private final ConsentDecisions decisions;
    private final PersonVisibility people;
    private final Clock clock;
    private final ZoneId calendarZone;
    private final Supplier<String> ids;
    private final int readinessDays;
    private final int paymentGapDays;

    public ClaimPreparations(ClaimPreparationRepository preparations, ConsentDecisions decisions,
                             PersonVisibility people, Clock clock, ZoneId calendarZone, Supplier<String> ids, int readinessDays, int paymentGapDays) {
        if (readinessDays < 0 || paymentGapDays < 0) {
            throw new IllegalArgumentException("alert windows must not be negative");
        }
        this.preparations = preparations;
        this.decisions = decisions;
        this.people = people;
        this.clock = clock;
        this.calendarZone = calendarZone;
        this.ids = ids;
        this.readinessDays = readinessDays;
        this.paymentGapDays = paymentGapDays;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(calendarZone));
    }

    public List<ClaimAlert> alerts(ClaimPreparation p) {
        return p.alerts(today(), readinessDays, paymentGapDays);
    }

    /**
     * @param releaseDate  null when the adapter already reported it missing or impossible
     * @param jurisdiction null when unspecified
     */
    public ClaimPreparation create(Caller caller, String personId, Benefit benefit, LocalDate releaseDate,
                                   Jurisdiction jurisdiction, Checklist checklist, String referral, String requestId,
                                   Violations v) {
        denyPlatform(caller);
        String at = "claim_preparation.";
        if (benefit == null) {
            v.add(at + "benefit", "is required");
        }
        LocalDate today = today();
        if (releaseDate != null) {
            if (!releaseDate.isAfter(today)) {
                v.add(at + "release_date", "must be in the future for a new preparation (today is " + today + ")");
            } else if (releaseDate.isAfter(today.plusYears(MAX_YEARS_AHEAD))) {
                v.add(at + "release_date", "is more than " + MAX_YEARS_AHEAD + " years ahead");
            }
        }
        if (jurisdiction == null) {
            v.add(at + "jurisdiction", "is required");
        }
        if (referral != null && !referral.isEmpty() && !REFERRAL.matcher(referral).matches()) {
            v.add(at + "referral", "must be a referral name (referrals/{referral})");
        }
        validate(checklist, releaseDate, at + "checklist.", v);
        if (requestId != null && requestId.length() > MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        if (personId == null || releaseDate == null) {
            throw new IllegalArgumentException("person and release date are required (reported by the adapter)");
        }
        people.requireVisible(personId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = ids.get();
        ClaimPreparation p = new ClaimPreparation(id, personId, benefit, releaseDate, jurisdiction, checklist, referral,
                Actor.of(caller), now, now, 1);
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        ClaimPreparation stored = preparations.insertOnce(p, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id", "was already used for a claim preparation of another person");
        }
        return stored;
    }

    public ClaimPreparation get(Caller caller, String personId, String id, Purpose purpose) {
        denyPlatform(caller);
        ClaimPreparation p = preparations.find(personId, id).orElseThrow(() -> notFound(personId, id));
        if (!p.recordedBy().agency().equals(caller.agency())
                && !decisions.decide(personId, List.of(DataCategory.BENEFITS), purpose).allows(DataCategory.BENEFITS)) {
            throw notFound(personId, id);
        }
        return p;
    }

    public ClaimPreparation recordChecklist(Caller caller, String personId, String id, Checklist checklist, Long etag,
                                            Violations v) {
        denyPlatform(caller);
        if (checklist == null) {
            v.add("checklist", "is required");
        }
        v.throwIfAny();
        ClaimPreparation p = get(caller, personId, id, Purpose.DIRECT_SUPPORT);
        validate(checklist, p.releaseDate(), "checklist.", v);
        v.throwIfAny();
        if (etag != null && etag != p.version()) {
            throw new ConflictException("ETAG_MISMATCH", "the claim preparation changed since it was read; read it again");
        }
        return preparations.replaceIfVersion(p.withChecklist(checklist, clock.instant().truncatedTo(ChronoUnit.MILLIS)))
                .orElseThrow(() -> new ConflictException("ETAG_MISMATCH", "the claim preparation changed meanwhile; read it again"));
    }

    /**
     * DWP expects the first payment of the person's {@code benefit} claim on {@code date}: the
     * preparations of that benefit by the same agency whose payment-gap window is still open take
     * it as their expected first payment, so the PAYMENT_GAP alert follows what DWP says. A date
     * before a preparation's release is left out (it belongs to an earlier spell). Returns how many
     * preparations changed.
     */
    public int firstPaymentExpected(String personId, String agency, Benefit benefit, LocalDate date) {
        LocalDate today = LocalDate.now(clock.withZone(calendarZone));
        int changed = 0;
        for (ClaimPreparation p : preparations.findFor(personId, agency, benefit, today.minusDays(paymentGapDays))) {
            for (int attempt = 0; attempt < 3 && !date.isBefore(p.releaseDate()) && !date.equals(p.checklist().expectedFirstPayment());
                 attempt++) {
                Checklist c = p.checklist();
                Checklist withDate = new Checklist(c.proofOfIdentityHeld(), c.bankAccountReady(), c.nationalInsuranceNumberVerified(),
                        c.jobcentreAppointment(), date);
                if (preparations.replaceIfVersion(p.withChecklist(withDate, clock.instant().truncatedTo(ChronoUnit.MILLIS))).isPresent()) {
                    changed++;
                    break;
                }
                p = preparations.find(personId, p.id()).orElse(p);
            }
        }
        return changed;
    }

    private static void validate(Checklist c, LocalDate release, String at, Violations v) {
        if (c == null || release == null) {
            return;
        }
        if (c.jobcentreAppointment() != null && !c.jobcentreAppointment().isAfter(release)) {
            v.add(at + "jobcentre_appointment_date", "must be after the release date " + release);
        }
        if (c.expectedFirstPayment() != null && c.expectedFirstPayment().isBefore(release)) {
            v.add(at + "expected_first_payment_date", "must not be before the release date " + release);
        }
    }

    private static NotFoundException notFound(String personId, String id) {
        return new NotFoundException("CLAIM_PREPARATION_NOT_FOUND",
                "people/" + personId + "/claimPreparations/" + id + " not found");
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot record or read claim preparations");
        }
    }
}
