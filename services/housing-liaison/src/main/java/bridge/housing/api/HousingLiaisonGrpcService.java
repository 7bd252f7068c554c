package bridge.housing.api;

import bridge.housing.domain.DutyToRefer;
import bridge.housing.partner.DeadLetters;
import bridge.proto.common.v1.DeadLetter;
import bridge.proto.common.v1.ListDeadLettersRequest;
import bridge.proto.common.v1.ListDeadLettersResponse;
import bridge.proto.common.v1.ReplayDeadLetterRequest;
import bridge.housing.domain.HousingHistory;
import bridge.proto.housing.v1.CreateDutyToReferNoticeRequest;
import bridge.proto.housing.v1.GetDutyToReferNoticeRequest;
import bridge.housing.domain.HousingPage;
import bridge.housing.domain.NewAccommodation;
import bridge.housing.domain.NewHousingSituation;
import bridge.housing.domain.NewReleasePlan;
import bridge.housing.domain.ReleasePlanPage;
import bridge.housing.domain.ReleasePlans;
import bridge.proto.housing.v1.CreateReleasePlanRequest;
import bridge.proto.housing.v1.GetReleasePlanRequest;
import bridge.proto.housing.v1.ListReleaseAlertsRequest;
import bridge.proto.housing.v1.ListReleaseAlertsResponse;
import bridge.proto.housing.v1.ListReleasePlansRequest;
import bridge.proto.housing.v1.ListReleasePlansResponse;
import bridge.proto.housing.v1.ReleasePlan;
import bridge.proto.housing.v1.SecureAccommodationRequest;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.DeadLettersMapping;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.housing.v1.CreateHousingSituationRequest;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.proto.housing.v1.HousingSituation;
import bridge.proto.housing.v1.ListHousingSituationsRequest;
import bridge.proto.housing.v1.ListHousingSituationsResponse;
import bridge.support.errors.Violations;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** gRPC adapter of the housing liaison service: the only place that sees generated types. */
@Service
public class HousingLiaisonGrpcService extends HousingLiaisonServiceGrpc.HousingLiaisonServiceImplBase {

    /** Operators' collection of this service's dead letters (names housing/deadLetters/{id}). */
    private static final String DEAD_LETTERS = "housing/deadLetters";

    private final HousingHistory history;
    private final ReleasePlans plans;
    private final DutyToRefer dutyToRefer;
    private final DeadLetters deadLetters;

    public HousingLiaisonGrpcService(HousingHistory history, ReleasePlans plans, DutyToRefer dutyToRefer,
                                     DeadLetters deadLetters) {
        this.history = history;
        this.plans = plans;
        this.dutyToRefer = dutyToRefer;
        this.deadLetters = deadLetters;
    }

    @Override
    public void listDeadLetters(ListDeadLettersRequest request, StreamObserver<ListDeadLettersResponse> response) {
        response.onNext(DeadLettersMapping.toResponse(DEAD_LETTERS, deadLetters.list(CurrentCaller.get(), request.getPageSize())));
        response.onCompleted();
    }

    @Override
    public void replayDeadLetter(ReplayDeadLetterRequest request, StreamObserver<DeadLetter> response) {
        Caller caller = CurrentCaller.get();
        String id = DeadLettersMapping.id(DEAD_LETTERS, request.getName());
        response.onNext(DeadLettersMapping.toProto(DEAD_LETTERS, deadLetters.replay(caller, id)));
        response.onCompleted();
    }

    @Override
    public void createDutyToReferNotice(CreateDutyToReferNoticeRequest request,
                                        StreamObserver<bridge.proto.housing.v1.DutyToReferNotice> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = HousingMapper.personId(request.getParent(), "parent", v);
        var notice = request.hasDutyToReferNotice() ? DutyToReferMapper.toNew(request.getDutyToReferNotice(), v) : null;
        response.onNext(DutyToReferMapper.toProto(dutyToRefer.create(caller, personId, notice, request.getRequestId(), v)));
        response.onCompleted();
    }

    @Override
    public void getDutyToReferNotice(GetDutyToReferNoticeRequest request,
                                     StreamObserver<bridge.proto.housing.v1.DutyToReferNotice> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = DutyToReferMapper.noticeName(request.getName(), "name", v);
        v.throwIfAny();
        response.onNext(DutyToReferMapper.toProto(dutyToRefer.get(caller, ids[0], ids[1])));
        response.onCompleted();
    }

    @Override
    public void createHousingSituation(CreateHousingSituationRequest request, StreamObserver<HousingSituation> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = HousingMapper.personId(request.getParent(), "parent", v);
        NewHousingSituation situation = request.hasHousingSituation()
                ? HousingMapper.toNewSituation(request.getHousingSituation(), v) : null;
        response.onNext(HousingMapper.toProto(history.record(caller, personId, situation, request.getRequestId(), v)));
        response.onCompleted();
    }

    @Override
    public void listHousingSituations(ListHousingSituationsRequest request,
                                      StreamObserver<ListHousingSituationsResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = HousingMapper.personId(request.getParent(), "parent", v);
        HousingPage page = history.list(caller, personId,
                bridge.support.grpc.ProtoMapping.purpose(request.getPurpose()), request.getPageSize(), request.getPageToken(), v);
        var b = ListHousingSituationsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.situations().forEach(s -> b.addHousingSituations(HousingMapper.toProto(s)));
        if (page.withheldFromCaller()) {
            b.addWithheldCategories(DataCategory.DATA_CATEGORY_HOUSING);
        }
        b.setTenancyAtRisk(page.tenancyAtRisk());
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void createReleasePlan(CreateReleasePlanRequest request, StreamObserver<ReleasePlan> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = HousingMapper.personId(request.getParent(), "parent", v);
        NewReleasePlan plan = request.hasReleasePlan() ? ReleasePlanMapper.toNewPlan(request.getReleasePlan(), v) : null;
        var created = plans.create(caller, personId, plan, request.getRequestId(), v);
        response.onNext(ReleasePlanMapper.toProto(created, plans.alerts(created)));
        response.onCompleted();
    }

    @Override
    public void getReleasePlan(GetReleasePlanRequest request, StreamObserver<ReleasePlan> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ReleasePlanMapper.planName(request.getName(), "name", v);
        v.throwIfAny();
        var plan = plans.get(caller, ids[0], ids[1], ProtoMapping.purpose(request.getPurpose()));
        response.onNext(ReleasePlanMapper.toProto(plan, plans.alerts(plan)));
        response.onCompleted();
    }

    @Override
    public void listReleasePlans(ListReleasePlansRequest request, StreamObserver<ListReleasePlansResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = HousingMapper.personId(request.getParent(), "parent", v);
        ReleasePlanPage page = plans.list(caller, personId, ProtoMapping.purpose(request.getPurpose()),
                request.getPageSize(), request.getPageToken(), v);
        var b = ListReleasePlansResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.plans().forEach(p -> b.addReleasePlans(ReleasePlanMapper.toProto(p.plan(), p.alerts())));
        if (page.withheldFromCaller()) {
            b.addWithheldCategories(DataCategory.DATA_CATEGORY_HOUSING);
        }
        response.onNext(b.build());
        response.onCompleted();
    }

    @Override
    public void secureAccommodation(SecureAccommodationRequest request, StreamObserver<ReleasePlan> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ReleasePlanMapper.planName(request.getName(), "name", v);
        Long etag = ReleasePlanMapper.version(request.getEtag(), v);
        NewAccommodation accommodation = request.hasAccommodation()
                ? ReleasePlanMapper.toNewAccommodation(request.getAccommodation()) : null;
        var plan = plans.secure(caller, ids[0], ids[1], accommodation, etag, v);
        response.onNext(ReleasePlanMapper.toProto(plan, plans.alerts(plan)));
        response.onCompleted();
    }

    @Override
    public void listReleaseAlerts(ListReleaseAlertsRequest request, StreamObserver<ListReleaseAlertsResponse> response) {
        Caller caller = CurrentCaller.get();
        ReleasePlanPage page = plans.alertsOfAgency(caller, request.getPageSize(), request.getPageToken(), new Violations());
        var b = ListReleaseAlertsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.plans().forEach(p -> b.addReleasePlans(ReleasePlanMapper.toProto(p.plan(), p.alerts())));
        response.onNext(b.build());
        response.onCompleted();
    }
}
