package bridge.consent.api;

import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentMethod;
import bridge.consent.domain.ConsentState;
import bridge.consent.domain.DataCategory;
import bridge.consent.domain.NewConsent;
import bridge.consent.domain.Purpose;
import bridge.consent.domain.Recipient;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Contract types to domain records and back. */
final class ConsentMapper {

    // google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    private ConsentMapper() {
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

    static NewConsent toNewConsent(bridge.proto.consent.v1.Consent c, Violations v) {
        List<Recipient> recipients = new ArrayList<>();
        for (var r : c.getRecipientsList()) {
            recipients.add(switch (r.getRecipientCase()) {
                case AGENCY -> Recipient.agency(r.getAgency());
                // UNSPECIFIED (or unknown) maps to null: reported by the rules like a missing recipient
                case AGENCY_TYPE -> new Recipient(null, ProtoMapping.agencyType(r.getAgencyType()));
                case RECIPIENT_NOT_SET -> new Recipient(null, null);
            });
        }
        return new NewConsent(recipients,
                c.getCategoriesList().stream().map(ConsentMapper::category).toList(),
                c.getPurposesList().stream().map(ConsentMapper::purpose).toList(),
                c.hasValidFrom() ? instant(c.getValidFrom(), "consent.valid_from", v) : null,
                c.hasValidUntil() ? instant(c.getValidUntil(), "consent.valid_until", v) : null,
                method(c.getMethod()),
                c.getCapacityNote());
    }

    static bridge.proto.consent.v1.Consent toProto(Consent c) {
        var b = bridge.proto.consent.v1.Consent.newBuilder()
                .setName("people/" + c.personId() + "/consents/" + c.id())
                .setValidFrom(ProtoMapping.timestamp(c.validFrom()))
                .setMethod(bridge.proto.consent.v1.ConsentMethod.valueOf("CONSENT_METHOD_" + c.method().name()))
                .setCapacityNote(c.capacityNote())
                .setState(state(c.state()))
                .setRecordedBy(ProtoMapping.actor(c.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(c.createdAt()));
        for (Recipient r : c.recipients()) {
            if (r.isNamedAgency()) {
                b.addRecipientsBuilder().setAgency(r.agency());
            } else {
                b.addRecipientsBuilder().setAgencyType(ProtoMapping.agencyType(r.agencyType()));
            }
        }
        c.categories().forEach(x -> b.addCategories(category(x)));
        c.purposes().forEach(x -> b.addPurposes(purpose(x)));
        if (c.validUntil() != null) {
            b.setValidUntil(ProtoMapping.timestamp(c.validUntil()));
        }
        return b.build();
    }

    static DataCategory category(bridge.proto.common.v1.DataCategory c) {
        return switch (c) {
            case DATA_CATEGORY_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> DataCategory.valueOf(c.name().substring("DATA_CATEGORY_".length()));
        };
    }

    static bridge.proto.common.v1.DataCategory category(DataCategory c) {
        return bridge.proto.common.v1.DataCategory.valueOf("DATA_CATEGORY_" + c.name());
    }

    static Purpose purpose(bridge.proto.common.v1.Purpose p) {
        return switch (p) {
            case PURPOSE_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> Purpose.valueOf(p.name().substring("PURPOSE_".length()));
        };
    }

    static bridge.proto.common.v1.Purpose purpose(Purpose p) {
        return bridge.proto.common.v1.Purpose.valueOf("PURPOSE_" + p.name());
    }

    static ConsentMethod method(bridge.proto.consent.v1.ConsentMethod m) {
        return switch (m) {
            case CONSENT_METHOD_WRITTEN -> ConsentMethod.WRITTEN;
            case CONSENT_METHOD_VERBAL -> ConsentMethod.VERBAL;
            case CONSENT_METHOD_DIGITAL -> ConsentMethod.DIGITAL;
            case CONSENT_METHOD_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }

    static bridge.proto.consent.v1.ConsentState state(ConsentState s) {
        return switch (s) {
            case ACTIVE -> bridge.proto.consent.v1.ConsentState.CONSENT_STATE_ACTIVE;
            case WITHDRAWN -> bridge.proto.consent.v1.ConsentState.CONSENT_STATE_WITHDRAWN;
            case EXPIRED -> bridge.proto.consent.v1.ConsentState.CONSENT_STATE_EXPIRED;
        };
    }

    /** A timestamp within protobuf's range, or null with a violation. */
    static Instant instant(Timestamp t, String field, Violations v) {
        if (t.getSeconds() < MIN_SECONDS || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
            v.add(field, "is not a valid timestamp");
            return null;
        }
        return ProtoMapping.instant(t);
    }
}
