package bridge.benefits.api;

import bridge.benefits.domain.ClaimPage;
import bridge.benefits.domain.Claims;
import bridge.benefits.domain.NewClaim;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.Claim;
import bridge.proto.benefits.v1.CreateClaimRequest;
import bridge.proto.benefits.v1.GetClaimRequest;
import bridge.proto.benefits.v1.ListClaimsRequest;
import bridge.proto.benefits.v1.ListClaimsResponse;
import bridge.proto.common.v1.DataCategory;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** gRPC adapter of the benefits liaison service: the only place that sees generated types. */
@Service
public class BenefitsLiaisonGrpcService extends BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceImplBase {

    private final Claims claims;

    public BenefitsLiaisonGrpcService(Claims claims) {
        this.claims = claims;
    }

    @Override
    public void createClaim(CreateClaimRequest request, StreamObserver<Claim> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ClaimMapper.personId(request.getParent(), "parent", v);
        NewClaim claim = request.hasClaim() ? ClaimMapper.toNewClaim(request.getClaim()) : null;
        response.onNext(ClaimMapper.toProto(claims.open(caller, personId, claim, request.getRequestId(), v)));
        response.onCompleted();
    }

    @Override
    public void getClaim(GetClaimRequest request, StreamObserver<Claim> response) {
        Caller caller = CurrentCaller.get();
        String[] ids = ResourceNames.ids("people/*/claims/*", request.getName(), "name");
        response.onNext(ClaimMapper.toProto(claims.get(caller, ids[0], ids[1],
                ProtoMapping.purpose(request.getPurpose()))));
        response.onCompleted();
    }

    @Override
    public void listClaims(ListClaimsRequest request, StreamObserver<ListClaimsResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ClaimMapper.personId(request.getParent(), "parent", v);
        ClaimPage page = claims.list(caller, personId, ProtoMapping.purpose(request.getPurpose()),
                request.getPageSize(), request.getPageToken(), v);
        ListClaimsResponse.Builder b = ListClaimsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.claims().forEach(c -> b.addClaims(ClaimMapper.toProto(c)));
        if (page.withheldFromCaller()) {
            b.addWithheldCategories(DataCategory.DATA_CATEGORY_BENEFITS);
        }
        response.onNext(b.build());
        response.onCompleted();
    }
}
