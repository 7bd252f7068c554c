package bridge.referrals.api;

import bridge.referrals.domain.NewReferral;
import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.ReferralStatus;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;

/** Contract types to domain records and back. */
final class ReferralMapper {

    private ReferralMapper() {
    }

    /** The ids of a resource name, or null with a violation (so that other problems are reported too). */
    static String[] ids(String pattern, String name, String field, Violations v) {
        try {
            return ResourceNames.ids(pattern, name, field);
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
            return null;
        }
    }

    static NewReferral toNewReferral(bridge.proto.referrals.v1.Referral r, Violations v) {
        String[] person = ids("people/*", r.getPerson(), "referral.person", v);
        return new NewReferral(person == null ? null : person[0], pathway(r.getPathway()), r.getPerformerAgency(),
                r.getReason());
    }

    static bridge.proto.referrals.v1.Referral toProto(Referral r) {
        return bridge.proto.referrals.v1.Referral.newBuilder()
                .setName("referrals/" + r.id())
                .setPerson("people/" + r.personId())
                .setPathway(pathway(r.pathway()))
                .setRequester(ProtoMapping.actor(r.requester()))
                .setPerformerAgency(r.performerAgency())
                .setStatus(status(r.status()))
                .setReason(r.reason())
                .setCreateTime(ProtoMapping.timestamp(r.createdAt()))
                .setUpdateTime(ProtoMapping.timestamp(r.updatedAt()))
                .setEtag("W/\"" + r.version() + "\"")
                .build();
    }

    static Pathway pathway(bridge.proto.referrals.v1.Pathway p) {
        return switch (p) {
            case PATHWAY_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> Pathway.valueOf(p.name().substring("PATHWAY_".length()));
        };
    }

    static bridge.proto.referrals.v1.Pathway pathway(Pathway p) {
        return bridge.proto.referrals.v1.Pathway.valueOf("PATHWAY_" + p.name());
    }

    static bridge.proto.referrals.v1.ReferralStatus status(ReferralStatus s) {
        return bridge.proto.referrals.v1.ReferralStatus.valueOf("REFERRAL_STATUS_" + s.name());
    }
}
