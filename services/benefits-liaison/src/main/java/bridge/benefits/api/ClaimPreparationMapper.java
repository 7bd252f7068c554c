package bridge.benefits.api;

import bridge.benefits.domain.Checklist;
import bridge.benefits.domain.ClaimAlert;
import bridge.benefits.domain.ClaimPreparation;
import bridge.proto.benefits.v1.Jurisdiction;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import java.time.LocalDate;
import java.util.List;

/** Claim preparations: contract types to domain records and back. */
final class ClaimPreparationMapper {

    private ClaimPreparationMapper() {
    }

    static String[] name(String name, String field, Violations v) {
        try {
            return ResourceNames.ids("people/*/claimPreparations/*", name, field);
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
            return new String[] {null, null};
        }
    }

    static LocalDate date(boolean present, com.google.type.Date d, String field, Violations v) {
        return present ? ProtoMapping.localDate(d, field, v) : null;
    }

    static Checklist checklist(bridge.proto.benefits.v1.Checklist c, String at, Violations v) {
        return new Checklist(c.getProofOfIdentityHeld(), c.getBankAccountReady(), c.getNationalInsuranceNumberVerified(),
                date(c.hasJobcentreAppointmentDate(), c.getJobcentreAppointmentDate(), at + "jobcentre_appointment_date", v),
                date(c.hasExpectedFirstPaymentDate(), c.getExpectedFirstPaymentDate(), at + "expected_first_payment_date", v));
    }

    static bridge.support.calendar.Jurisdiction jurisdiction(Jurisdiction j) {
        return switch (j) {
            case JURISDICTION_ENGLAND_AND_WALES -> bridge.support.calendar.Jurisdiction.ENGLAND_AND_WALES;
            case JURISDICTION_SCOTLAND -> bridge.support.calendar.Jurisdiction.SCOTLAND;
            default -> null;
        };
    }

    static Long version(String etag, Violations v) {
        if (etag == null || etag.isEmpty()) {
            return null;
        }
        String bare = etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 2 ? etag.substring(1, etag.length() - 1) : etag;
        try {
            return Long.parseLong(bare);
        } catch (NumberFormatException e) {
            v.add("etag", "is not an etag of a claim preparation (pass it unchanged)");
            return null;
        }
    }

    static bridge.proto.benefits.v1.ClaimPreparation toProto(ClaimPreparation p, List<ClaimAlert> alerts) {
        Checklist c = p.checklist();
        var checklist = bridge.proto.benefits.v1.Checklist.newBuilder()
                .setProofOfIdentityHeld(c.proofOfIdentityHeld())
                .setBankAccountReady(c.bankAccountReady())
                .setNationalInsuranceNumberVerified(c.nationalInsuranceNumberVerified());
        if (c.jobcentreAppointment() != null) {
            checklist.setJobcentreAppointmentDate(ProtoMapping.date(c.jobcentreAppointment()));
        }
        if (c.expectedFirstPayment() != null) {
            checklist.setExpectedFirstPaymentDate(ProtoMapping.date(c.expectedFirstPayment()));
        }
        var b = bridge.proto.benefits.v1.ClaimPreparation.newBuilder()
                .setName("people/" + p.personId() + "/claimPreparations/" + p.id())
                .setBenefit(ClaimMapper.benefit(p.benefit()))
                .setReleaseDate(ProtoMapping.date(p.releaseDate()))
                .setJurisdiction(Jurisdiction.valueOf("JURISDICTION_" + p.jurisdiction().name()))
                .setChecklist(checklist)
                .setFirstWorkingDayAfterRelease(ProtoMapping.date(p.firstWorkingDayAfterRelease()))
                .setReady(p.ready())
                .setReferral(p.referral())
                .setRecordedBy(ProtoMapping.actor(p.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(p.createdAt()))
                .setUpdateTime(ProtoMapping.timestamp(p.updatedAt()))
                .setEtag("\"" + p.version() + "\"");
        alerts.forEach(a -> b.addAlerts(bridge.proto.benefits.v1.ClaimAlert.valueOf("CLAIM_ALERT_" + a.name())));
        return b.build();
    }
}
