package bridge.housing.api;

import bridge.housing.domain.HousingHistory;
import bridge.housing.domain.HousingPage;
import bridge.housing.domain.NewHousingSituation;
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

    private final HousingHistory history;

    public HousingLiaisonGrpcService(HousingHistory history) {
        this.history = history;
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
        response.onNext(b.build());
        response.onCompleted();
    }
}
