package bridge.housing.domain;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.errors.FailedPreconditionException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Duty-to-refer notices: validated, consent checked, written, then handed to delivery.
 *
 * <p>Consent: the person must have consented to the referral (REFERRALS for the REFERRAL purpose)
 * and to their contact details going with it (CONTACT for REFERRAL), as the consent service
 * decides for the referring agency. Missing either is FAILED_PRECONDITION naming what is missing,
 * and nothing is written or sent. An authority this deployment is not connected to is
 * INVALID_ARGUMENT on authority_code.
 *
 * <p>No partial write, no lost notice: the notice is one insert (keyed by the agency's request id);
 * delivery is scheduled after it with a key derived from the notice id. If scheduling fails the
 * request fails, and its retry finds the same notice and schedules it again, which the outbox
 * recognises. Visibility: the referring agency, and others under an allowing REFERRALS decision.
 */
public final class DutyToRefer {

    static final int MAX_REASON_LENGTH = 4000;
    static final int MAX_CONTACT_LENGTH = 200;
    static final Pattern REFERRAL = Pattern.compile("referrals/[A-Za-z0-9_-]{1,64}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()-]{7,20}");

    private final DutyToReferRepository notices;
    private final HousingAuthorities authorities;
    private final NoticeDeliveries deliveries;
    private final ConsentDecisions decisions;
    private final Clock clock;
    private final ZoneId calendarZone;
    private final Supplier<String> ids;

    public DutyToRefer(DutyToReferRepository notices, HousingAuthorities authorities, NoticeDeliveries deliveries,
                       ConsentDecisions decisions, Clock clock, ZoneId calendarZone, Supplier<String> ids) {
        this.notices = notices;
        this.authorities = authorities;
        this.deliveries = deliveries;
        this.decisions = decisions;
        this.clock = clock;
        this.calendarZone = calendarZone;
        this.ids = ids;
    }

    public DutyToReferNotice create(Caller caller, String personId, NewDutyToReferNotice request, String requestId,
                                    Violations v) {
        denyPlatform(caller);
        HousingAuthority authority = null;
        if (request == null) {
            v.add("duty_to_refer_notice", "is required");
        } else {
            authority = validate(request, v);
        }
        if (requestId != null && requestId.length() > HousingHistory.MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + HousingHistory.MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        if (personId == null || authority == null) {
            throw new IllegalArgumentException("person and authority are required (reported above)");
        }
        Decisions consent = decisions.decide(personId, List.of(DataCategory.REFERRALS, DataCategory.CONTACT), Purpose.REFERRAL);
        List<String> missing = new ArrayList<>();
        if (!consent.allows(DataCategory.REFERRALS)) {
            missing.add("the person's consent to the referral (REFERRALS for REFERRAL)");
        }
        if (!consent.allows(DataCategory.CONTACT)) {
            missing.add("the person's consent to sharing their contact details (CONTACT for REFERRAL)");
        }
        if (!missing.isEmpty()) {
            throw new FailedPreconditionException("CONSENT_TO_REFER_MISSING",
                    "no notice was sent: missing " + String.join(" and ", missing));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = ids.get();
        DutyToReferNotice notice = new DutyToReferNotice(id, personId, authority.code(), authority.name(), request.reason(),
                request.expectedHomelessDate(), request.contactPhone(), request.contactEmail(), request.contactNote(),
                request.referral(), NoticeStatus.QUEUED, List.of(new NoticeStatusChange(NoticeStatus.QUEUED, now, "")),
                "", "", Actor.of(caller), now);
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        DutyToReferNotice stored = notices.insertOnce(notice, key);
        if (!stored.personId().equals(personId)) {
            throw InvalidArgumentException.of("request_id", "was already used for a notice about another person");
        }
        deliveries.schedule(stored);
        return stored;
    }

    public DutyToReferNotice get(Caller caller, String personId, String id) {
        denyPlatform(caller);
        DutyToReferNotice notice = notices.find(personId, id).orElseThrow(() -> notFound(personId, id));
        if (!notice.recordedBy().agency().equals(caller.agency()) && !decisions.decide(personId,
                List.of(DataCategory.REFERRALS), Purpose.DIRECT_SUPPORT).allows(DataCategory.REFERRALS)) {
            throw notFound(personId, id);
        }
        return notice;
    }

    /** The authority received the notice (delivery succeeded). */
    public void received(String noticeId, String authorityNoticeId, NoticeStatus reported) {
        NoticeStatus status = reported == null || reported == NoticeStatus.QUEUED ? NoticeStatus.SENT : reported;
        notices.advance(noticeId, NoticeStatus.SENT, authorityNoticeId, null, clock.instant(), "received by the authority");
        if (status != NoticeStatus.SENT) {
            notices.advance(noticeId, status, null, null, clock.instant(), "");
        }
    }

    /** The authority reported progress (status polling). */
    public boolean progressed(String noticeId, NoticeStatus status, String outcome) {
        return notices.advance(noticeId, status, null, outcome, clock.instant(), outcome == null ? "" : outcome);
    }

    /** The authority refused the notice for good; an operator may replay it after fixing the cause. */
    public void undeliverable(String noticeId, String reason) {
        notices.advance(noticeId, NoticeStatus.UNDELIVERABLE, null, null, clock.instant(), reason);
    }

    /** An operator replayed the delivery. */
    public void requeued(String noticeId) {
        notices.advance(noticeId, NoticeStatus.QUEUED, null, null, clock.instant(), "replayed by an operator");
    }

    private HousingAuthority validate(NewDutyToReferNotice n, Violations v) {
        String at = "duty_to_refer_notice.";
        HousingAuthority authority = null;
        if (n.authorityCode() == null || n.authorityCode().isEmpty()) {
            v.add(at + "authority_code", "is required");
        } else {
            authority = authorities.find(n.authorityCode()).orElse(null);
            if (authority == null) {
                v.add(at + "authority_code", "is not a local housing authority Bridge can refer to");
            }
        }
        if (n.reason() == null || n.reason().isBlank()) {
            v.add(at + "reason", "is required");
        } else if (n.reason().codePointCount(0, n.reason().length()) > MAX_REASON_LENGTH) {
            v.add(at + "reason", "at most " + MAX_REASON_LENGTH + " characters");
        }
        LocalDate today = LocalDate.now(clock.withZone(calendarZone));
        if (n.expectedHomelessDate() != null && n.expectedHomelessDate().isBefore(today.minusYears(1))) {
            v.add(at + "expected_homeless_date", "is more than a year ago");
        }
        boolean anyContact = false;
        if (!blank(n.contactPhone())) {
            anyContact = true;
            if (!PHONE.matcher(n.contactPhone()).matches()) {
                v.add(at + "contact_phone", "is not a telephone number");
            }
        }
        if (!blank(n.contactEmail())) {
            anyContact = true;
            if (n.contactEmail().length() > MAX_CONTACT_LENGTH || !EMAIL.matcher(n.contactEmail()).matches()) {
                v.add(at + "contact_email", "is not an email address");
            }
        }
        if (!blank(n.contactNote())) {
            anyContact = true;
            if (n.contactNote().length() > MAX_CONTACT_LENGTH) {
                v.add(at + "contact_note", "at most " + MAX_CONTACT_LENGTH + " characters");
            }
        }
        if (!anyContact) {
            v.add(at + "contact_phone", "the authority needs a way to reach the person: phone, email or contact note");
        }
        if (!blank(n.referral()) && !REFERRAL.matcher(n.referral()).matches()) {
            v.add(at + "referral", "must be a referral name (referrals/{referral})");
        }
        return authority;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static NotFoundException notFound(String personId, String id) {
        return new NotFoundException("NOTICE_NOT_FOUND", "people/" + personId + "/dutyToReferNotices/" + id + " not found");
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot send or read duty-to-refer notices");
        }
    }
}
