package bridge.benefits.api;

import bridge.benefits.domain.Claims;
import bridge.benefits.domain.NewClaim;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.Claim;
import bridge.proto.benefits.v1.CreateClaimRequest;
import bridge.proto.benefits.v1.GetClaimRequest;
import bridge.support.errors.Violations;
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
                bridge.support.grpc.ProtoMapping.purpose(request.getPurpose()))));
        response.onCompleted();
    }
}
