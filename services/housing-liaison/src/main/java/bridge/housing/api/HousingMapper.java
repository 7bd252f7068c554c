package bridge.housing.api;

import bridge.housing.domain.HousingSituation;
import bridge.housing.domain.HousingStatus;
import bridge.housing.domain.NewHousingSituation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import java.time.LocalDate;

/** Contract types to domain records and back. */
final class HousingMapper {

    private HousingMapper() {
    }

    /** The person id of a {@code people/{person}} name, or null with a violation. */
    static String personId(String parent, String field, Violations v) {
        try {
            return ResourceNames.ids("people/*", parent, field)[0];
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
            return null;
        }
    }

    static NewHousingSituation toNewSituation(bridge.proto.housing.v1.HousingSituation s, Violations v) {
        String field = "housing_situation.start_date";
        LocalDate start = null;
        if (!s.hasStartDate()) {
            v.add(field, "is required");
        } else {
            start = ProtoMapping.localDate(s.getStartDate(), field, v);
        }
        return new NewHousingSituation(status(s.getStatus()), start, s.getLocalAuthority(), s.getNote());
    }

    static bridge.proto.housing.v1.HousingSituation toProto(HousingSituation s) {
        return bridge.proto.housing.v1.HousingSituation.newBuilder()
                .setName("people/" + s.personId() + "/housingSituations/" + s.id())
                .setStatus(status(s.status()))
                .setStartDate(ProtoMapping.date(s.startDate()))
                .setLocalAuthority(s.localAuthority())
                .setNote(s.note())
                .setRecordedBy(ProtoMapping.actor(s.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(s.createdAt()))
                .build();
    }

    static HousingStatus status(bridge.proto.housing.v1.HousingStatus s) {
        return switch (s) {
            case HOUSING_STATUS_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> HousingStatus.valueOf(s.name().substring("HOUSING_STATUS_".length()));
        };
    }

    static bridge.proto.housing.v1.HousingStatus status(HousingStatus s) {
        return bridge.proto.housing.v1.HousingStatus.valueOf("HOUSING_STATUS_" + s.name());
    }
}
