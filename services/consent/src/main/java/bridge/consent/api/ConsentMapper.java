package bridge.consent.api;

import bridge.consent.domain.AuditEntry;
import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentMethod;
import bridge.consent.domain.ConsentState;
import bridge.consent.domain.Decision;
import bridge.consent.domain.LegalBasis;
import bridge.consent.domain.LegalBasisType;
import bridge.consent.domain.NewConsent;
import bridge.consent.domain.NewLegalBasis;
import bridge.consent.domain.Recipient;
import bridge.consent.domain.ReviewOutcome;
import bridge.consent.domain.ReviewState;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
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
        String[] ids = ids("people/*", parent, field, v);
        return ids == null ? null : ids[0];
    }

    /** The [person id, child id] of a {@code people/{person}/<collection>/{id}} name, or nulls with a violation. */
    static String[] childIds(String collection, String name, String field, Violations v) {
        String[] ids = ids("people/*/" + collection + "/*", name, field, v);
        return ids == null ? new String[2] : ids;
    }

    private static String[] ids(String pattern, String name, String field, Violations v) {
        try {
            return ResourceNames.ids(pattern, name, field);
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
            return null;
        }
    }

    static String consentName(String personId, String consentId) {
        return "people/" + personId + "/consents/" + consentId;
    }

    static String legalBasisName(String personId, String legalBasisId) {
        return "people/" + personId + "/legalBases/" + legalBasisId;
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
                .setName(consentName(c.personId(), c.id()))
                .setValidFrom(ProtoMapping.timestamp(c.validFrom()))
                .setMethod(bridge.proto.consent.v1.ConsentMethod.valueOf("CONSENT_METHOD_" + c.method().name()))
                .setCapacityNote(c.capacityNote())
                .setState(state(c.state()))
                .setRecordedBy(ProtoMapping.actor(c.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(c.createdAt()))
                .setVersion(c.version())
                .setUpdateTime(ProtoMapping.timestamp(c.updatedAt()))
                .setUpdatedBy(ProtoMapping.actor(c.updatedBy()))
                .setEtag(c.etag());
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
        if (c.withdrawal() != null) {
            b.setWithdrawTime(ProtoMapping.timestamp(c.withdrawal().time()))
                    .setWithdrawnBy(ProtoMapping.actor(c.withdrawal().by()))
                    .setWithdrawalReason(c.withdrawal().reason());
        }
        return b.build();
    }

    static NewLegalBasis toNewLegalBasis(bridge.proto.consent.v1.LegalBasis b, Violations v) {
        return new NewLegalBasis(legalBasisType(b.getType()), b.getRecipientAgency(),
                b.getCategoriesList().stream().map(ConsentMapper::category).toList(),
                b.getPurposesList().stream().map(ConsentMapper::purpose).toList(),
                b.getJustification(),
                b.hasValidUntil() ? instant(b.getValidUntil(), "legal_basis.valid_until", v) : null);
    }

    static bridge.proto.consent.v1.LegalBasis toProto(LegalBasis l) {
        var b = bridge.proto.consent.v1.LegalBasis.newBuilder()
                .setName(legalBasisName(l.personId(), l.id()))
                .setType(bridge.proto.consent.v1.LegalBasisType.valueOf("LEGAL_BASIS_TYPE_" + l.type().name()))
                .setRecipientAgency(l.recipientAgency())
                .setJustification(l.justification())
                .setValidUntil(ProtoMapping.timestamp(l.validUntil()))
                .setReviewState(bridge.proto.consent.v1.ReviewState.valueOf("REVIEW_STATE_" + l.reviewState().name()))
                .setRecordedBy(ProtoMapping.actor(l.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(l.createdAt()));
        l.categories().forEach(x -> b.addCategories(category(x)));
        l.purposes().forEach(x -> b.addPurposes(purpose(x)));
        if (l.review() != null) {
            b.setReviewedBy(ProtoMapping.actor(l.review().by()))
                    .setReviewTime(ProtoMapping.timestamp(l.review().time()))
                    .setReviewNote(l.review().note());
        }
        return b.build();
    }

    static bridge.proto.consent.v1.Decision toProto(String personId, Decision d) {
        var b = bridge.proto.consent.v1.Decision.newBuilder()
                .setCategory(category(d.category()))
                .setAllowed(d.allowed());
        if (d.consentId() != null) {
            b.setConsent(consentName(personId, d.consentId())).setConsentVersion(d.consentVersion());
        } else if (d.legalBasisId() != null) {
            b.setLegalBasis(legalBasisName(personId, d.legalBasisId()));
        }
        if (d.denyReason() != null) {
            b.setDenyReason(d.denyReason().name());
        }
        return b.build();
    }

    static bridge.proto.consent.v1.AccessRecord toProto(AuditEntry entry) {
        var e = entry.event();
        var b = bridge.proto.consent.v1.AccessRecord.newBuilder()
                .setSequence(entry.sequence())
                .setTime(ProtoMapping.timestamp(e.time()))
                .setActor(ProtoMapping.actor(e.actor()))
                .setPerson("people/" + e.personId())
                .setPurpose(purpose(e.purpose()))
                .setRequestId(e.requestId())
                .setHash(entry.hash())
                .setPreviousHash(entry.previousHash());
        e.decisions().forEach(d -> b.addDecisions(toProto(e.personId(), d)));
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

    static LegalBasisType legalBasisType(bridge.proto.consent.v1.LegalBasisType t) {
        return switch (t) {
            case LEGAL_BASIS_TYPE_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> LegalBasisType.valueOf(t.name().substring("LEGAL_BASIS_TYPE_".length()));
        };
    }

    static ReviewOutcome outcome(bridge.proto.consent.v1.ReviewOutcome o) {
        return switch (o) {
            case REVIEW_OUTCOME_UPHOLD -> ReviewOutcome.UPHOLD;
            case REVIEW_OUTCOME_REVOKE -> ReviewOutcome.REVOKE;
            case REVIEW_OUTCOME_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }

    static bridge.proto.consent.v1.ConsentState state(ConsentState s) {
        return bridge.proto.consent.v1.ConsentState.valueOf("CONSENT_STATE_" + s.name());
    }

    static bridge.proto.consent.v1.ReviewState reviewState(ReviewState s) {
        return bridge.proto.consent.v1.ReviewState.valueOf("REVIEW_STATE_" + s.name());
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
