package bridge.support.grpc;

import bridge.proto.common.v1.AgencyType;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import com.google.protobuf.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/** Conversions between contract types and plain Java, shared by every service's api room. */
public final class ProtoMapping {

    private ProtoMapping() {
    }

    public static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    public static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    public static com.google.type.Date date(LocalDate d) {
        return com.google.type.Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue())
                .setDay(d.getDayOfMonth()).build();
    }

    /** A full calendar date, or null (with a violation) when the date is partial or impossible. */
    public static LocalDate localDate(com.google.type.Date d, String field, Violations v) {
        if (d.getYear() == 0 || d.getMonth() == 0 || d.getDay() == 0) {
            v.add(field, "must be a full date (year, month and day)");
            return null;
        }
        try {
            return LocalDate.of(d.getYear(), d.getMonth(), d.getDay());
        } catch (DateTimeException e) {
            v.add(field, "is not a calendar date: " + d.getYear() + "-" + d.getMonth() + "-" + d.getDay());
            return null;
        }
    }

    public static AgencyType agencyType(bridge.support.identity.AgencyType t) {
        return AgencyType.valueOf("AGENCY_TYPE_" + t.name());
    }

    /** The plain type, or null for UNSPECIFIED/unknown values. */
    public static bridge.support.identity.AgencyType agencyType(AgencyType t) {
        if (t == AgencyType.AGENCY_TYPE_UNSPECIFIED || t == AgencyType.UNRECOGNIZED) {
            return null;
        }
        return bridge.support.identity.AgencyType.parse(t.name()).orElse(null);
    }

    /** Unspecified means direct support: what a worker reading a record is doing by default. */
    public static Purpose purpose(bridge.proto.common.v1.Purpose p) {
        return switch (p) {
            case PURPOSE_REFERRAL -> Purpose.REFERRAL;
            case PURPOSE_RISK_MANAGEMENT -> Purpose.RISK_MANAGEMENT;
            default -> Purpose.DIRECT_SUPPORT;
        };
    }

    public static bridge.proto.common.v1.DataCategory category(DataCategory c) {
        return bridge.proto.common.v1.DataCategory.valueOf("DATA_CATEGORY_" + c.name());
    }

    public static bridge.proto.common.v1.Actor actor(Actor a) {
        return bridge.proto.common.v1.Actor.newBuilder().setSubject(a.subject()).setAgency(a.agency())
                .setAgencyType(agencyType(a.agencyType())).build();
    }
}
