package bridge.referrals.api;

import bridge.proto.referrals.v1.CreateReferralRequest;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.referrals.v1.GetReferralRequest;
import bridge.proto.referrals.v1.ListReferralsRequest;
import bridge.proto.referrals.v1.ListReferralsResponse;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import bridge.referrals.domain.NewReferral;
import bridge.referrals.domain.ReferralPage;
import bridge.referrals.domain.Referrals;
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

    public ReferralGrpcService(Referrals referrals) {
        this.referrals = referrals;
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
}
