package bridge.consent.api;

import bridge.consent.domain.ConsentPage;
import bridge.consent.domain.Consents;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.CreateConsentRequest;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.proto.consent.v1.ListConsentsResponse;
import bridge.support.errors.Violations;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** gRPC adapter of the consent service: the only place that sees generated types. */
@Service
public class ConsentGrpcService extends ConsentServiceGrpc.ConsentServiceImplBase {

    private final Consents consents;

    public ConsentGrpcService(Consents consents) {
        this.consents = consents;
    }

    @Override
    public void createConsent(CreateConsentRequest request, StreamObserver<Consent> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getParent(), "parent", v);
        var consent = request.hasConsent() ? ConsentMapper.toNewConsent(request.getConsent(), v) : null;
        response.onNext(ConsentMapper.toProto(consents.record(caller, personId, consent, request.getRequestId(), v)));
        response.onCompleted();
    }

    @Override
    public void listConsents(ListConsentsRequest request, StreamObserver<ListConsentsResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getParent(), "parent", v);
        ConsentPage page = consents.list(caller, personId, request.getPageSize(), request.getPageToken(), v);
        var b = ListConsentsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.consents().forEach(c -> b.addConsents(ConsentMapper.toProto(c)));
        response.onNext(b.build());
        response.onCompleted();
    }
}
