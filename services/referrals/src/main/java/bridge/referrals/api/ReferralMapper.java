package bridge.referrals.api;

import bridge.referrals.domain.Appointment;
import bridge.referrals.domain.DisengagementPlan;
import bridge.referrals.domain.Engagement;
import bridge.referrals.domain.HistoryEntry;
import bridge.referrals.domain.NewReferral;
import bridge.referrals.domain.Overdue;
import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.ReferralStatus;
import bridge.referrals.domain.StatusReason;
import bridge.referrals.domain.StatusReasonCode;
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
                r.getReason(), PathwayDetailsMapper.toDomain(r, v), r.hasDisengagementPlan() ? plan(r.getDisengagementPlan()) : null);
    }

    static bridge.proto.referrals.v1.Referral toProto(Referral r) {
        bridge.proto.referrals.v1.Referral.Builder b = bridge.proto.referrals.v1.Referral.newBuilder();
        PathwayDetailsMapper.toProto(r.details(), b);
        Engagement e = r.engagement();
        e.appointments().forEach(a -> b.addAppointments(bridge.proto.referrals.v1.Appointment.newBuilder()
                .setAppointmentId(a.id())
                .setStartTime(ProtoMapping.timestamp(a.start()))
                .setOutcome(bridge.proto.referrals.v1.AppointmentOutcome.valueOf("APPOINTMENT_OUTCOME_" + a.outcome().name()))
                .setRecordedBy(ProtoMapping.actor(a.recordedBy()))
                .setRecordTime(ProtoMapping.timestamp(a.recordedAt()))));
        b.setDisengagementPlan(bridge.proto.referrals.v1.DisengagementPlan.newBuilder()
                .setMissedInARow(e.plan().missedInARow())
                .addAllSteps(e.plan().steps().stream().map(ReferralMapper::step).toList()));
        e.raised().forEach(x -> {
            bridge.proto.referrals.v1.ReengagementStep.Builder s = bridge.proto.referrals.v1.ReengagementStep.newBuilder()
                    .setKind(step(x.step())).setRaiseTime(ProtoMapping.timestamp(x.raisedAt()));
            if (x.isDone()) {
                s.setDoneTime(ProtoMapping.timestamp(x.doneAt())).setDoneBy(ProtoMapping.actor(x.doneBy())).setNote(x.note());
            }
            b.addReengagementSteps(s);
        });
        b.setPickedUp(r.pickedUp());
        if (r.handover() != null) {
            b.setHandover(bridge.proto.referrals.v1.Handover.newBuilder()
                    .setState(bridge.proto.referrals.v1.HandoverState.valueOf("HANDOVER_STATE_" + r.handover().state().name()))
                    .addAllRecords(r.handover().records())
                    .setDetail(r.handover().detail()));
        }
        return b
                .setName("referrals/" + r.id())
                .setPerson("people/" + r.personId())
                .setPathway(pathway(r.pathway()))
                .setRequester(ProtoMapping.actor(r.requester()))
                .setPerformerAgency(r.performerAgency())
                .setStatus(status(r.status()))
                .setReason(r.reason())
                .setCreateTime(ProtoMapping.timestamp(r.createdAt()))
                .setUpdateTime(ProtoMapping.timestamp(r.updatedAt()))
                .setEtag(r.etag())
                .addAllHistory(r.history().stream().map(ReferralMapper::toProto).toList())
                .addAllWithheldCategories(r.withheld().stream()
                        .map(c -> bridge.proto.common.v1.DataCategory.valueOf("DATA_CATEGORY_" + c.name())).toList())
                .build();
    }

    static bridge.proto.referrals.v1.OverdueReferral toProto(Overdue o) {
        return bridge.proto.referrals.v1.OverdueReferral.newBuilder()
                .setReferral(toProto(o.referral()))
                .setTimer(bridge.proto.referrals.v1.ReferralTimer.valueOf("REFERRAL_TIMER_" + o.timer().name()))
                .setDueTime(ProtoMapping.timestamp(o.due()))
                .build();
    }

    static bridge.proto.referrals.v1.ReferralHistoryEntry toProto(HistoryEntry e) {
        bridge.proto.referrals.v1.ReferralHistoryEntry.Builder b = bridge.proto.referrals.v1.ReferralHistoryEntry.newBuilder()
                .setPreviousStatus(status(e.previousStatus()))
                .setStatus(status(e.status()))
                .setActor(ProtoMapping.actor(e.actor()))
                .setTime(ProtoMapping.timestamp(e.at()));
        if (e.reason() != null) {
            b.setReason(bridge.proto.referrals.v1.StatusReason.newBuilder()
                    .setCode(bridge.proto.referrals.v1.StatusReasonCode.valueOf("STATUS_REASON_CODE_" + e.reason().code().name()))
                    .setText(e.reason().text()));
        }
        return b.build();
    }

    /** The reason of a transition request; null when the request carries none, a null code when unspecified. */
    static StatusReason reason(boolean present, bridge.proto.referrals.v1.StatusReason r) {
        if (!present) {
            return null;
        }
        StatusReasonCode code = switch (r.getCode()) {
            case STATUS_REASON_CODE_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> StatusReasonCode.valueOf(r.getCode().name().substring("STATUS_REASON_CODE_".length()));
        };
        return new StatusReason(code, r.getText());
    }

    /** YYYY-MM, or null when empty or malformed (the domain reports it once: "is required, as YYYY-MM"). */
    static java.time.YearMonth month(String text) {
        try {
            return text == null || text.isEmpty() ? null : java.time.YearMonth.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    static bridge.proto.referrals.v1.ReferralMetricsRow toProto(bridge.referrals.domain.ReferralMetrics.Row r) {
        var b = bridge.proto.referrals.v1.ReferralMetricsRow.newBuilder()
                .setPathway(pathway(r.key().pathway()))
                .setPerformerAgency(r.key().agency())
                .setMonth(r.key().month().toString())
                .setSent(r.sent())
                .setAccepted(r.accepted())
                .setRejected(r.rejected())
                .setWithFirstAppointment(r.withFirstAppointment())
                .setPickUpEligible(r.pickUpEligible())
                .setPickedUp(r.pickedUp());
        r.acceptanceRate().ifPresent(b::setAcceptanceRate);
        r.pickUpRate().ifPresent(b::setPickUpRate);
        r.medianToFirstAppointment().ifPresent(d -> b.setMedianTimeToFirstAppointment(duration(d)));
        r.p90ToFirstAppointment().ifPresent(d -> b.setP90TimeToFirstAppointment(duration(d)));
        r.rejectedByReason().forEach((code, n) -> b.addRejectionsByReason(bridge.proto.referrals.v1.RejectionReasonCount.newBuilder()
                .setCode(bridge.proto.referrals.v1.StatusReasonCode.valueOf("STATUS_REASON_CODE_" + code.name()))
                .setCount(n)
                .setRate(r.rejectionRate(code).orElse(0.0))));
        return b.build();
    }

    static com.google.protobuf.Duration duration(java.time.Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    /** Null for UNSPECIFIED/unrecognised. */
    static bridge.referrals.domain.WebhookSubscription.Event event(bridge.proto.referrals.v1.WebhookEvent e) {
        return switch (e) {
            case WEBHOOK_EVENT_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> bridge.referrals.domain.WebhookSubscription.Event.valueOf(e.name().substring("WEBHOOK_EVENT_".length()));
        };
    }

    static bridge.proto.referrals.v1.WebhookSubscription toProto(bridge.referrals.domain.WebhookSubscription s) {
        return bridge.proto.referrals.v1.WebhookSubscription.newBuilder()
                .setName("webhookSubscriptions/" + s.id())
                .setUrl(s.url())
                .addAllEvents(s.events().stream().map(e -> bridge.proto.referrals.v1.WebhookEvent.valueOf("WEBHOOK_EVENT_" + e.name())).toList())
                .setAgency(s.agency())
                .setSecret(s.secret())
                .setCreateTime(ProtoMapping.timestamp(s.createdAt()))
                .setCreator(ProtoMapping.actor(s.creator()))
                .build();
    }

    static DisengagementPlan plan(bridge.proto.referrals.v1.DisengagementPlan p) {
        return new DisengagementPlan(p.getMissedInARow(), p.getStepsList().stream().map(ReferralMapper::step).toList());
    }

    /** Null for UNSPECIFIED/unrecognised (reported by the rules). */
    static DisengagementPlan.Step step(bridge.proto.referrals.v1.ReengagementStepKind k) {
        return switch (k) {
            case REENGAGEMENT_STEP_KIND_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> DisengagementPlan.Step.valueOf(k.name().substring("REENGAGEMENT_STEP_KIND_".length()));
        };
    }

    static bridge.proto.referrals.v1.ReengagementStepKind step(DisengagementPlan.Step s) {
        return bridge.proto.referrals.v1.ReengagementStepKind.valueOf("REENGAGEMENT_STEP_KIND_" + s.name());
    }

    /** Null for UNSPECIFIED/unrecognised (reported by the rules). */
    static Appointment.Outcome outcome(bridge.proto.referrals.v1.AppointmentOutcome o) {
        return switch (o) {
            case APPOINTMENT_OUTCOME_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> Appointment.Outcome.valueOf(o.name().substring("APPOINTMENT_OUTCOME_".length()));
        };
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
