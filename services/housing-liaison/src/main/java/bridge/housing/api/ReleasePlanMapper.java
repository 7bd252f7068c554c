package bridge.housing.api;

import bridge.housing.domain.Accommodation;
import bridge.housing.domain.NewAccommodation;
import bridge.housing.domain.NewReleasePlan;
import bridge.housing.domain.ReleaseAlert;
import bridge.housing.domain.ReleasePlan;
import bridge.proto.housing.v1.Jurisdiction;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import java.time.LocalDate;
import java.util.List;

/** Release plans: contract types to domain records and back. */
final class ReleasePlanMapper {

    private ReleasePlanMapper() {
    }

    /** {person, plan} ids of a {@code people/{person}/releasePlans/{plan}} name, or nulls with a violation. */
    static String[] planName(String name, String field, Violations v) {
        try {
            return ResourceNames.ids("people/*/releasePlans/*", name, field);
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
            return new String[] {null, null};
        }
    }

    static NewReleasePlan toNewPlan(bridge.proto.housing.v1.ReleasePlan p, Violations v) {
        String field = "release_plan.release_date";
        LocalDate release = null;
        if (!p.hasReleaseDate()) {
            v.add(field, "is required");
        } else {
            release = ProtoMapping.localDate(p.getReleaseDate(), field, v);
        }
        return new NewReleasePlan(release, p.getReleasingEstablishment(), p.getLocalAuthorityCode(),
                jurisdiction(p.getJurisdiction()), p.getReferral(), p.getNote());
    }

    static NewAccommodation toNewAccommodation(bridge.proto.housing.v1.Accommodation a) {
        return new NewAccommodation(HousingMapper.status(a.getType()), a.getSecuredBy(), a.getNote());
    }

    static bridge.support.calendar.Jurisdiction jurisdiction(Jurisdiction j) {
        return switch (j) {
            case JURISDICTION_ENGLAND_AND_WALES -> bridge.support.calendar.Jurisdiction.ENGLAND_AND_WALES;
            case JURISDICTION_SCOTLAND -> bridge.support.calendar.Jurisdiction.SCOTLAND;
            default -> null;
        };
    }

    static Jurisdiction jurisdiction(bridge.support.calendar.Jurisdiction j) {
        return Jurisdiction.valueOf("JURISDICTION_" + j.name());
    }

    static String etag(ReleasePlan p) {
        return "\"" + p.version() + "\"";
    }

    /** The version in an etag, null when none was given; a malformed one is a violation. */
    static Long version(String etag, Violations v) {
        if (etag == null || etag.isEmpty()) {
            return null;
        }
        String bare = etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 2
                ? etag.substring(1, etag.length() - 1) : etag;
        try {
            return Long.parseLong(bare);
        } catch (NumberFormatException e) {
            v.add("etag", "is not an etag of a release plan (pass it unchanged)");
            return null;
        }
    }

    static bridge.proto.housing.v1.ReleasePlan toProto(ReleasePlan p, List<ReleaseAlert> alerts) {
        var b = bridge.proto.housing.v1.ReleasePlan.newBuilder()
                .setName("people/" + p.personId() + "/releasePlans/" + p.id())
                .setReleaseDate(ProtoMapping.date(p.releaseDate()))
                .setReleasingEstablishment(p.releasingEstablishment())
                .setLocalAuthorityCode(p.localAuthorityCode())
                .setJurisdiction(jurisdiction(p.jurisdiction()))
                .setReferral(p.referral())
                .setNote(p.note())
                .setRecordedBy(ProtoMapping.actor(p.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(p.createdAt()))
                .setUpdateTime(ProtoMapping.timestamp(p.updatedAt()))
                .setEtag(etag(p));
        alerts.forEach(a -> b.addAlerts(bridge.proto.housing.v1.ReleaseAlert.valueOf("RELEASE_ALERT_" + a.name())));
        if (p.accommodation() != null) {
            Accommodation a = p.accommodation();
            b.setAccommodation(bridge.proto.housing.v1.Accommodation.newBuilder()
                    .setType(HousingMapper.status(a.type()))
                    .setSecuredBy(a.securedBy())
                    .setNote(a.note())
                    .setRecordedBy(ProtoMapping.actor(a.recordedBy()))
                    .setSecureTime(ProtoMapping.timestamp(a.securedAt())));
        }
        return b.build();
    }
}
