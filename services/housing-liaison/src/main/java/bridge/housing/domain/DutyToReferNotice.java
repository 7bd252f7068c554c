package bridge.housing.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A duty-to-refer notice to a local housing authority and its progress there.
 *
 * @param expectedHomelessDate null when not known
 * @param authorityNoticeId    the authority's id once it received the notice, else empty
 * @param history              status changes, oldest first
 */
public record DutyToReferNotice(String id, String personId, String authorityCode, String authorityName, String reason,
                                LocalDate expectedHomelessDate, String contactPhone, String contactEmail,
                                String contactNote, String referral, NoticeStatus status,
                                List<NoticeStatusChange> history, String authorityNoticeId, String outcome,
                                Actor recordedBy, Instant createdAt) {

    public DutyToReferNotice {
        contactPhone = contactPhone == null ? "" : contactPhone;
        contactEmail = contactEmail == null ? "" : contactEmail;
        contactNote = contactNote == null ? "" : contactNote;
        referral = referral == null ? "" : referral;
        authorityNoticeId = authorityNoticeId == null ? "" : authorityNoticeId;
        outcome = outcome == null ? "" : outcome;
        history = List.copyOf(history);
    }
}
