package bridge.benefits.api;

import bridge.benefits.domain.ClaimPage;
import bridge.benefits.domain.Claims;
import bridge.benefits.domain.NewClaim;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.Claim;
import bridge.benefits.domain.ClaimPreparations;
import bridge.proto.benefits.v1.ClaimPreparation;
import bridge.proto.benefits.v1.CreateClaimPreparationRequest;
import bridge.proto.benefits.v1.CreateClaimRequest;
import bridge.proto.benefits.v1.GetClaimPreparationRequest;
import bridge.proto.benefits.v1.RecordChecklistRequest;
import bridge.proto.benefits.v1.RecordClaimStatusRequest;
import bridge.proto.benefits.v1.SubmitClaimRequest;
import bridge.benefits.partner.DeadLetters;
import bridge.proto.common.v1.DeadLetter;
import bridge.proto.common.v1.ListDeadLettersRequest;
import bridge.proto.common.v1.ListDeadLettersResponse;
import bridge.proto.common.v1.ReplayDeadLetterRequest;
import bridge.support.errors.InvalidArgumentException;
import bridge.proto.benefits.v1.GetClaimRequest;
import bridge.proto.benefits.v1.ListClaimsRequest;
import bridge.proto.benefits.v1.ListClaimsResponse;
import bridge.proto.common.v1.DataCategory;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.DeadLettersMapping;
import bridge.support.grpc.ResourceNames;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** gRPC adapter of the benefits liaison service: the only place that sees generated types. */
@Service
public class BenefitsLiaisonGrpcService extends BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceImplBase {

    /** Operators' collection of this service's dead letters (names benefits/deadLetters/{id}). */
    private static final String DEAD_LETTERS = "benefits/deadLetters";

    private final Claims claims;
    private final ClaimPreparations preparations;
    private final DeadLetters deadLetters;

    public BenefitsLiaisonGrpcService(Claims claims, ClaimPreparations preparations, DeadLetters deadLetters) {
        this.claims = claims;
        this.preparations = preparations;
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
    public void createClaimPreparation(CreateClaimPreparationRequest request, StreamObserver<ClaimPreparation> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ClaimMapper.personId(request.getParent(), "parent", v);
        if (!request.hasClaimPreparation()) {
            v.add("claim_preparation", "is required");
            v.throwIfAny();
        }
        var p = request.getClaimPreparation();
        String at = "claim_preparation.";
        java.time.LocalDate release = p.hasReleaseDate()
                ? ProtoMapping.localDate(p.getReleaseDate(), at + "release_date", v) : null;
        if (!p.hasReleaseDate()) {
            v.add(at + "release_date", "is required");
        }
        var checklist = ClaimPreparationMapper.checklist(p.getChecklist(), at + "checklist.", v);
        var created = preparations.create(caller, personId, ClaimMapper.benefit(p.getBenefit()), release,
                ClaimPreparationMapper.jurisdiction(p.getJurisdiction()), checklist, p.getReferral(), request.getRequestId(), v);
        response.onNext(ClaimPreparationMapper.toProto(created, preparations.alerts(created)));
        response.onCompleted();
    }

    @Override
    public void getClaimPreparation(GetClaimPreparationRequest request, StreamObserver<ClaimPreparation> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ClaimPreparationMapper.name(request.getName(), "name", v);
        v.throwIfAny();
        var p = preparations.get(caller, ids[0], ids[1], ProtoMapping.purpose(request.getPurpose()));
        response.onNext(ClaimPreparationMapper.toProto(p, preparations.alerts(p)));
        response.onCompleted();
    }

    @Override
    public void recordChecklist(RecordChecklistRequest request, StreamObserver<ClaimPreparation> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ClaimPreparationMapper.name(request.getName(), "name", v);
        Long etag = ClaimPreparationMapper.version(request.getEtag(), v);
        var checklist = request.hasChecklist() ? ClaimPreparationMapper.checklist(request.getChecklist(), "checklist.", v) : null;
        var p = preparations.recordChecklist(caller, ids[0], ids[1], checklist, etag, v);
        response.onNext(ClaimPreparationMapper.toProto(p, preparations.alerts(p)));
        response.onCompleted();
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
    public void recordClaimStatus(RecordClaimStatusRequest request, StreamObserver<Claim> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = null;
        try {
            ids = ResourceNames.ids("people/*/claims/*", request.getName(), "name");
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
        }
        Long etag = ClaimMapper.version(request.getEtag(), v);
        var status = ClaimMapper.status(request.getStatus());
        if (ids == null) {
            // the rest is checked too, so that every problem is reported at once
            if (status == null) {
                v.add("status", "is required");
            }
            v.throwIfAny();
        }
        response.onNext(ClaimMapper.toProto(claims.recordStatus(caller, ids[0], ids[1], status, request.getNote(), etag, v)));
        response.onCompleted();
    }

    @Override
    public void submitClaim(SubmitClaimRequest request, StreamObserver<Claim> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = null;
        try {
            ids = ResourceNames.ids("people/*/claims/*", request.getName(), "name");
        } catch (InvalidArgumentException e) {
            e.violations().forEach(f -> v.add(f.field(), f.description()));
        }
        Long etag = ClaimMapper.version(request.getEtag(), v);
        v.throwIfAny();
        response.onNext(ClaimMapper.toProto(claims.submit(caller, ids[0], ids[1], etag)));
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
