package bridge.benefits.api;

import bridge.benefits.domain.Benefit;
import bridge.benefits.domain.Claim;
import bridge.benefits.domain.ClaimStatus;
import bridge.benefits.domain.NewClaim;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;

/** Contract types to domain records and back. */
final class ClaimMapper {

    private ClaimMapper() {
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

    static NewClaim toNewClaim(bridge.proto.benefits.v1.Claim c) {
        return new NewClaim(benefit(c.getBenefit()));
    }

    static bridge.proto.benefits.v1.Claim toProto(Claim c) {
        var proto = bridge.proto.benefits.v1.Claim.newBuilder()
                .setName("people/" + c.personId() + "/claims/" + c.id())
                .setBenefit(benefit(c.benefit()))
                .setStatus(status(c.status()))
                .setRecordedBy(ProtoMapping.actor(c.recordedBy()))
                .setCreateTime(ProtoMapping.timestamp(c.createdAt()))
                .setEtag("W/\"" + c.version() + "\"")
                .setUpdateTime(ProtoMapping.timestamp(c.updatedAt()))
                .setDwpClaimId(c.dwpClaimId())
                .addAllHistory(c.history().stream().map(h -> bridge.proto.benefits.v1.ClaimStatusChange.newBuilder()
                        .setStatus(status(h.status()))
                        .setTime(ProtoMapping.timestamp(h.at()))
                        .setChangedBy(ProtoMapping.actor(h.changedBy()))
                        .setNote(h.note())
                        .build()).toList())
                .build();
        return c.expectedFirstPayment() == null ? proto
                : proto.toBuilder().setExpectedFirstPaymentDate(ProtoMapping.date(c.expectedFirstPayment())).build();
    }

    static ClaimStatus status(bridge.proto.benefits.v1.ClaimStatus s) {
        return switch (s) {
            case CLAIM_STATUS_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> ClaimStatus.valueOf(s.name().substring("CLAIM_STATUS_".length()));
        };
    }

    /** The version in a claim's etag ({@code W/"3"}, or {@code "3"} or {@code 3}); null when empty. */
    static Long version(String etag, Violations v) {
        if (etag == null || etag.isEmpty()) {
            return null;
        }
        String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
        if (bare.length() > 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        try {
            return Long.parseLong(bare);
        } catch (NumberFormatException e) {
            v.add("etag", "is not an etag of a claim (pass it unchanged)");
            return null;
        }
    }

    static Benefit benefit(bridge.proto.benefits.v1.Benefit b) {
        return switch (b) {
            case BENEFIT_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> Benefit.valueOf(b.name().substring("BENEFIT_".length()));
        };
    }

    static bridge.proto.benefits.v1.Benefit benefit(Benefit b) {
        return bridge.proto.benefits.v1.Benefit.valueOf("BENEFIT_" + b.name());
    }

    static bridge.proto.benefits.v1.ClaimStatus status(ClaimStatus s) {
        return bridge.proto.benefits.v1.ClaimStatus.valueOf("CLAIM_STATUS_" + s.name());
    }
}
