package bridge.referrals.api;

import bridge.proto.referrals.v1.CreateReferralRequest;
import bridge.proto.referrals.v1.ListOverdueReferralsRequest;
import bridge.proto.referrals.v1.ListOverdueReferralsResponse;
import bridge.referrals.domain.OverduePage;
import bridge.proto.referrals.v1.AcknowledgeReferralRequest;
import bridge.proto.referrals.v1.AcceptReferralRequest;
import bridge.proto.referrals.v1.RejectReferralRequest;
import bridge.proto.referrals.v1.StartReferralRequest;
import bridge.proto.referrals.v1.HoldReferralRequest;
import bridge.proto.referrals.v1.ResumeReferralRequest;
import bridge.proto.referrals.v1.CompleteReferralRequest;
import bridge.proto.referrals.v1.FailReferralRequest;
import bridge.proto.referrals.v1.CancelReferralRequest;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.referrals.v1.GetReferralRequest;
import bridge.proto.referrals.v1.ListReferralsRequest;
import bridge.proto.referrals.v1.ListReferralsResponse;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import bridge.referrals.domain.NewReferral;
import bridge.referrals.domain.ReferralPage;
import bridge.referrals.domain.Referrals;
import bridge.referrals.domain.StatusReason;
import bridge.referrals.domain.Transition;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** gRPC adapter of the referral service: the only place that sees generated types. */
@Service
public class ReferralGrpcService extends ReferralServiceGrpc.ReferralServiceImplBase {

    private final Referrals referrals;
    private final bridge.referrals.domain.WebhookSubscriptions webhooks;

    public ReferralGrpcService(Referrals referrals, bridge.referrals.domain.WebhookSubscriptions webhooks) {
        this.referrals = referrals;
        this.webhooks = webhooks;
    }

    @Override
    public void createWebhookSubscription(bridge.proto.referrals.v1.CreateWebhookSubscriptionRequest request,
                                          StreamObserver<bridge.proto.referrals.v1.WebhookSubscription> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        var s = request.getWebhookSubscription();
        java.util.Set<bridge.referrals.domain.WebhookSubscription.Event> events = java.util.EnumSet.noneOf(
                bridge.referrals.domain.WebhookSubscription.Event.class);
        for (int i = 0; i < s.getEventsCount(); i++) {
            var e = ReferralMapper.event(s.getEvents(i));
            if (e == null) {
                v.add("webhook_subscription.events[" + i + "]", "must name an event (UNSPECIFIED or unrecognised values are not one)");
            } else {
                events.add(e);
            }
        }
        response.onNext(ReferralMapper.toProto(webhooks.create(caller, s.getUrl(), events, request.getRequestId(), v)));
        response.onCompleted();
    }

    @Override
    public void listWebhookSubscriptions(bridge.proto.referrals.v1.ListWebhookSubscriptionsRequest request,
                                         StreamObserver<bridge.proto.referrals.v1.ListWebhookSubscriptionsResponse> response) {
        var page = webhooks.list(CurrentCaller.get(), request.getPageSize(), request.getPageToken(), new Violations());
        var b = bridge.proto.referrals.v1.ListWebhookSubscriptionsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.subscriptions().forEach(s -> b.addWebhookSubscriptions(ReferralMapper.toProto(s)));
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void deleteWebhookSubscription(bridge.proto.referrals.v1.DeleteWebhookSubscriptionRequest request,
                                          StreamObserver<bridge.proto.referrals.v1.WebhookSubscription> response) {
        String id = ResourceNames.ids("webhookSubscriptions/*", request.getName(), "name")[0];
        response.onNext(ReferralMapper.toProto(webhooks.delete(CurrentCaller.get(), id)));
        response.onCompleted();
    }

    @Override
    public void createReferral(CreateReferralRequest request, StreamObserver<Referral> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        NewReferral referral = request.hasReferral() ? ReferralMapper.toNewReferral(request.getReferral(), v) : null;
        response.onNext(ReferralMapper.toProto(referrals.send(caller, referral, request.getRequestId(), v)));
        response.onCompleted();
    }

    @Override
    public void getReferral(GetReferralRequest request, StreamObserver<Referral> response) {
        Caller caller = CurrentCaller.get();
        String id = ResourceNames.ids("referrals/*", request.getName(), "name")[0];
        response.onNext(ReferralMapper.toProto(referrals.get(caller, id, ProtoMapping.purpose(request.getPurpose()))));
        response.onCompleted();
    }

    @Override
    public void listReferrals(ListReferralsRequest request, StreamObserver<ListReferralsResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] person = ReferralMapper.ids("people/*", request.getParent(), "parent", v);
        ReferralPage page = referrals.list(caller, person == null ? null : person[0],
                ProtoMapping.purpose(request.getPurpose()), request.getPageSize(), request.getPageToken(), v);
        ListReferralsResponse.Builder b = ListReferralsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.referrals().forEach(r -> b.addReferrals(ReferralMapper.toProto(r)));
        if (page.withheldFromCaller()) {
            b.addWithheldCategories(DataCategory.DATA_CATEGORY_REFERRALS);
        }
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void listOverdueReferrals(ListOverdueReferralsRequest request, StreamObserver<ListOverdueReferralsResponse> response) {
        Caller caller = CurrentCaller.get();
        OverduePage page = referrals.listOverdue(caller, request.getPageSize(), request.getPageToken(), new Violations());
        ListOverdueReferralsResponse.Builder b = ListOverdueReferralsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.overdue().forEach(o -> b.addOverdueReferrals(ReferralMapper.toProto(o)));
        response.onNext(b.build());
        response.onCompleted();
    }

    private void transition(String name, Transition t, String etag, StatusReason reason, StreamObserver<Referral> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] id = ReferralMapper.ids("referrals/*", name, "name", v);
        response.onNext(ReferralMapper.toProto(referrals.transition(caller, id == null ? null : id[0], t, etag, reason, v)));
        response.onCompleted();
    }

    @Override
    public void acknowledgeReferral(AcknowledgeReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.ACKNOWLEDGE, request.getEtag(), null, response);
    }

    @Override
    public void acceptReferral(AcceptReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.ACCEPT, request.getEtag(), null, response);
    }

    @Override
    public void rejectReferral(RejectReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.REJECT, request.getEtag(), ReferralMapper.reason(request.hasReason(), request.getReason()), response);
    }

    @Override
    public void startReferral(StartReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.START, request.getEtag(), null, response);
    }

    @Override
    public void holdReferral(HoldReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.HOLD, request.getEtag(), ReferralMapper.reason(request.hasReason(), request.getReason()), response);
    }

    @Override
    public void resumeReferral(ResumeReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.RESUME, request.getEtag(), null, response);
    }

    @Override
    public void completeReferral(CompleteReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.COMPLETE, request.getEtag(), null, response);
    }

    @Override
    public void failReferral(FailReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.FAIL, request.getEtag(), ReferralMapper.reason(request.hasReason(), request.getReason()), response);
    }

    @Override
    public void getReferralMetrics(bridge.proto.referrals.v1.GetReferralMetricsRequest request,
                                   StreamObserver<bridge.proto.referrals.v1.ReferralMetrics> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        java.time.YearMonth from = ReferralMapper.month(request.getStartMonth());
        java.time.YearMonth to = ReferralMapper.month(request.getEndMonth());
        String agency = request.getPerformerAgency().isBlank() ? null : request.getPerformerAgency().strip();
        var rows = referrals.metrics(caller, from, to, ReferralMapper.pathway(request.getPathway()), agency, v);
        var b = bridge.proto.referrals.v1.ReferralMetrics.newBuilder().setPickUpTarget(bridge.referrals.domain.ReferralMetrics.PICK_UP_TARGET);
        rows.forEach(r -> b.addRows(ReferralMapper.toProto(r)));
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void recordAppointment(bridge.proto.referrals.v1.RecordAppointmentRequest request, StreamObserver<Referral> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] id = ReferralMapper.ids("referrals/*", request.getName(), "name", v);
        response.onNext(ReferralMapper.toProto(referrals.recordAppointment(caller, id == null ? null : id[0],
                request.getEtag(), request.getAppointmentId(),
                request.hasStartTime() ? ProtoMapping.instant(request.getStartTime()) : null,
                ReferralMapper.outcome(request.getOutcome()), v)));
        response.onCompleted();
    }

    @Override
    public void recordReengagementStep(bridge.proto.referrals.v1.RecordReengagementStepRequest request,
                                       StreamObserver<Referral> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] id = ReferralMapper.ids("referrals/*", request.getName(), "name", v);
        response.onNext(ReferralMapper.toProto(referrals.recordReengagementStep(caller, id == null ? null : id[0],
                request.getEtag(), ReferralMapper.step(request.getKind()), request.getNote(), v)));
        response.onCompleted();
    }

    @Override
    public void cancelReferral(CancelReferralRequest request, StreamObserver<Referral> response) {
        transition(request.getName(), Transition.CANCEL, request.getEtag(), ReferralMapper.reason(request.hasReason(), request.getReason()), response);
    }
}
