package bridge.housing.api;

import bridge.housing.domain.DutyToReferNotice;
import bridge.housing.domain.NewDutyToReferNotice;
import bridge.proto.housing.v1.NoticeStatus;
import bridge.proto.housing.v1.NoticeStatusChange;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import java.time.LocalDate;

/** Duty-to-refer notices: contract types to domain records and back. */
final class DutyToReferMapper {

    private DutyToReferMapper() {
    }

    static String[] noticeName(String name, String field, Violations v) {
        try {
            return ResourceNames.ids("people/*/dutyToReferNotices/*", name, field);
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
            return new String[] {null, null};
        }
    }

    static NewDutyToReferNotice toNew(bridge.proto.housing.v1.DutyToReferNotice n, Violations v) {
        LocalDate expected = n.hasExpectedHomelessDate()
                ? ProtoMapping.localDate(n.getExpectedHomelessDate(), "duty_to_refer_notice.expected_homeless_date", v) : null;
        return new NewDutyToReferNotice(n.getAuthorityCode(), n.getReason(), expected, n.getContactPhone(),
                n.getContactEmail(), n.getContactNote(), n.getReferral());
    }

    static bridge.proto.housing.v1.DutyToReferNotice toProto(DutyToReferNotice n) {
        var b = bridge.proto.housing.v1.DutyToReferNotice.newBuilder()
                .setName("people/" + n.personId() + "/dutyToReferNotices/" + n.id())
                .setAuthorityCode(n.authorityCode())
                .setAuthorityName(n.authorityName())
                .setReason(n.reason())
                .setContactPhone(n.contactPhone())
                .setContactEmail(n.contactEmail())
                .setContactNote(n.contactNote())
                .setReferral(n.referral())
                .setStatus(status(n.status()))
                .setAuthorityNoticeId(n.authorityNoticeId())
                .setOutcome(n.outcome())
                .setRecordedBy(ProtoMapping.actor(n.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(n.createdAt()));
        if (n.expectedHomelessDate() != null) {
            b.setExpectedHomelessDate(ProtoMapping.date(n.expectedHomelessDate()));
        }
        n.history().forEach(h -> b.addHistory(NoticeStatusChange.newBuilder().setStatus(status(h.status()))
                .setTime(ProtoMapping.timestamp(h.at())).setNote(h.note())));
        return b.build();
    }

    static NoticeStatus status(bridge.housing.domain.NoticeStatus s) {
        return NoticeStatus.valueOf("NOTICE_STATUS_" + s.name());
    }
}
