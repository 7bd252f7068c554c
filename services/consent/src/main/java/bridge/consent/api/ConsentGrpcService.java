package bridge.consent.api;

import bridge.consent.domain.AccessRecordPage;
import bridge.consent.domain.AccessRecords;
import bridge.consent.domain.AuditVerification;
import bridge.consent.domain.ConsentAmendment;
import bridge.consent.domain.ConsentPage;
import bridge.consent.domain.Consents;
import bridge.consent.domain.Decision;
import bridge.consent.domain.Decisions;
import bridge.consent.domain.LegalBases;
import bridge.consent.domain.LegalBasisPage;
import bridge.proto.consent.v1.AmendConsentRequest;
import bridge.proto.consent.v1.BatchDecideRequest;
import bridge.proto.consent.v1.BatchDecideResponse;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.CreateConsentRequest;
import bridge.proto.consent.v1.CreateLegalBasisRequest;
import bridge.proto.consent.v1.DecideRequest;
import bridge.proto.consent.v1.GetConsentRequest;
import bridge.proto.consent.v1.IssueDecisionSetRequest;
import bridge.proto.consent.v1.ListDecisionKeysRequest;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import bridge.proto.consent.v1.SignedDecisionSet;
import bridge.proto.consent.v1.LegalBasis;
import bridge.proto.consent.v1.ListAccessRecordsRequest;
import bridge.proto.consent.v1.ListAccessRecordsResponse;
import bridge.proto.consent.v1.ListConsentVersionsRequest;
import bridge.proto.consent.v1.ListConsentVersionsResponse;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.proto.consent.v1.ListConsentsResponse;
import bridge.proto.consent.v1.ListLegalBasesRequest;
import bridge.proto.consent.v1.ListLegalBasesResponse;
import bridge.proto.consent.v1.ListLegalBasisReviewsRequest;
import bridge.proto.consent.v1.ListLegalBasisReviewsResponse;
import bridge.proto.consent.v1.ReviewLegalBasisRequest;
import bridge.proto.consent.v1.VerifyAuditTrailRequest;
import bridge.proto.consent.v1.VerifyAuditTrailResponse;
import bridge.proto.consent.v1.WithdrawConsentRequest;
import bridge.support.errors.Violations;
import bridge.support.grpc.RequestIds;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import bridge.support.people.PersonVisibility;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * gRPC adapter of the consent service: the only place that sees generated types. Each method reads
 * the caller from the validated token, maps the request (collecting malformed-field violations so
 * that the domain can report every problem at once), calls the domain and maps the answer back.
 */
@Service
public class ConsentGrpcService extends ConsentServiceGrpc.ConsentServiceImplBase {

    private final Consents consents;
    private final LegalBases legalBases;
    private final Decisions decisions;
    private final AccessRecords accessRecords;

    private final MeterRegistry meters;
    private final PersonVisibility people;
    private final DecisionSetIssuer decisionSets;

    public ConsentGrpcService(Consents consents, LegalBases legalBases, Decisions decisions, AccessRecords accessRecords,
                              MeterRegistry meters, PersonVisibility people, DecisionSetIssuer decisionSets) {
        this.meters = meters;
        this.decisionSets = decisionSets;
        this.people = people;
        this.consents = consents;
        this.legalBases = legalBases;
        this.decisions = decisions;
        this.accessRecords = accessRecords;
    }

    // ---- consent registry ----

    @Override
    public void createConsent(CreateConsentRequest request, StreamObserver<Consent> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getParent(), "parent", v);
        var consent = request.hasConsent() ? ConsentMapper.toNewConsent(request.getConsent(), v) : null;
        if (personId != null && !caller.isPlatform()) {
            // A consent is recorded by an agency working with the person (it registered them, or may see
            // them under a decision): otherwise any agency could record a consent naming itself for any
            // id it came across and then read the person. Break glass is the legal-basis route instead.
            people.requireVisible(personId);
        }
        reply(response, ConsentMapper.toProto(consents.record(caller, personId, consent, request.getRequestId(), v)));
    }

    @Override
    public void listConsents(ListConsentsRequest request, StreamObserver<ListConsentsResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getParent(), "parent", v);
        ConsentPage page = consents.list(caller, personId, request.getPageSize(), request.getPageToken(), v);
        if (page.consents().isEmpty() && request.getPageToken().isEmpty()) {
            requireVisible(caller, personId);
        }
        var b = ListConsentsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.consents().forEach(c -> b.addConsents(ConsentMapper.toProto(c)));
        reply(response, b.build());
    }

    @Override
    public void getConsent(GetConsentRequest request, StreamObserver<Consent> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ConsentMapper.childIds("consents", request.getName(), "name", v);
        reply(response, ConsentMapper.toProto(consents.get(caller, ids[0], ids[1], v)));
    }

    @Override
    public void amendConsent(AmendConsentRequest request, StreamObserver<Consent> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        ConsentAmendment amendment = null;
        String[] ids = new String[2];
        if (request.hasConsent()) {
            ids = ConsentMapper.childIds("consents", request.getConsent().getName(), "consent.name", v);
            amendment = new ConsentAmendment(request.getUpdateMask().getPathsList(),
                    ConsentMapper.toNewConsent(request.getConsent(), v), request.getConsent().getEtag());
        }
        reply(response, ConsentMapper.toProto(consents.amend(caller, ids[0], ids[1], amendment, v)));
    }

    @Override
    public void withdrawConsent(WithdrawConsentRequest request, StreamObserver<Consent> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ConsentMapper.childIds("consents", request.getName(), "name", v);
        reply(response, ConsentMapper.toProto(
                consents.withdraw(caller, ids[0], ids[1], request.getReason(), request.getEtag(), v)));
    }

    @Override
    public void listConsentVersions(ListConsentVersionsRequest request,
                                    StreamObserver<ListConsentVersionsResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ConsentMapper.childIds("consents", request.getName(), "name", v);
        var b = ListConsentVersionsResponse.newBuilder();
        consents.versions(caller, ids[0], ids[1], v).forEach(c -> b.addVersions(ConsentMapper.toProto(c)));
        reply(response, b.build());
    }

    // ---- legal bases ----

    @Override
    public void createLegalBasis(CreateLegalBasisRequest request, StreamObserver<LegalBasis> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getParent(), "parent", v);
        var legalBasis = request.hasLegalBasis() ? ConsentMapper.toNewLegalBasis(request.getLegalBasis(), v) : null;
        reply(response, ConsentMapper.toProto(legalBases.create(caller, personId, legalBasis, request.getRequestId(), v)));
    }

    @Override
    public void listLegalBases(ListLegalBasesRequest request, StreamObserver<ListLegalBasesResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getParent(), "parent", v);
        var b = ListLegalBasesResponse.newBuilder();
        var found = legalBases.list(caller, personId, v);
        if (found.isEmpty()) {
            requireVisible(caller, personId);
        }
        found.forEach(l -> b.addLegalBases(ConsentMapper.toProto(l)));
        reply(response, b.build());
    }

    /**
     * A list about someone the caller has no consent or legal basis of and may not see is "not
     * found", exactly like a single record: no route reveals that a person exists. Data-protection
     * officers oversee every person and are not asked about.
     */
    private void requireVisible(Caller caller, String personId) {
        if (!bridge.consent.domain.Roles.isDpo(caller) && !people.isVisible(personId)) {
            throw new bridge.support.errors.NotFoundException("PERSON_NOT_FOUND", "people/" + personId + " not found");
        }
    }

    @Override
    public void listLegalBasisReviews(ListLegalBasisReviewsRequest request,
                                      StreamObserver<ListLegalBasisReviewsResponse> response) {
        Caller caller = CurrentCaller.get();
        LegalBasisPage page = legalBases.reviews(caller, request.getPageSize(), request.getPageToken(), new Violations());
        var b = ListLegalBasisReviewsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.legalBases().forEach(l -> b.addLegalBases(ConsentMapper.toProto(l)));
        reply(response, b.build());
    }

    @Override
    public void reviewLegalBasis(ReviewLegalBasisRequest request, StreamObserver<LegalBasis> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String[] ids = ConsentMapper.childIds("legalBases", request.getName(), "name", v);
        reply(response, ConsentMapper.toProto(legalBases.review(caller, ids[0], ids[1],
                ConsentMapper.outcome(request.getOutcome()), request.getNote(), v)));
    }

    // ---- decisions ----

    @Override
    public void decide(DecideRequest request, StreamObserver<bridge.proto.consent.v1.Decision> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getPerson(), "person", v);
        Decision d = decisions.decide(caller, personId, ConsentMapper.category(request.getCategory()),
                ConsentMapper.purpose(request.getPurpose()), RequestIds.current(), v);
        count(d);
        reply(response, ConsentMapper.toProto(personId, d));
    }

    @Override
    public void batchDecide(BatchDecideRequest request, StreamObserver<BatchDecideResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getPerson(), "person", v);
        List<Decision> ds = decisions.decideBatch(caller, personId,
                request.getCategoriesList().stream().map(ConsentMapper::category).toList(),
                ConsentMapper.purpose(request.getPurpose()), RequestIds.current(), v);
        var b = BatchDecideResponse.newBuilder();
        ds.forEach(this::count);
        ds.forEach(d -> b.addDecisions(ConsentMapper.toProto(personId, d)));
        reply(response, b.build());
    }

    /** BatchDecide's decisions and audit entry, answered signed for the request they were made in (ADR 0012). */
    @Override
    public void issueDecisionSet(IssueDecisionSetRequest request, StreamObserver<SignedDecisionSet> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getPerson(), "person", v);
        var purpose = ConsentMapper.purpose(request.getPurpose());
        String requestId = RequestIds.current();
        List<Decision> ds = decisions.decideBatch(caller, personId,
                request.getCategoriesList().stream().map(ConsentMapper::category).toList(), purpose, requestId, v);
        ds.forEach(this::count);
        reply(response, decisionSets.issue(caller, personId, purpose, ds, requestId));
    }

    @Override
    public void listDecisionKeys(ListDecisionKeysRequest request, StreamObserver<ListDecisionKeysResponse> response) {
        reply(response, decisionSets.keys());
    }

    /** Decisions allowed/denied per category: aggregate only, no person, for dashboards. */
    private void count(Decision d) {
        meters.counter("bridge.consent.decisions", "outcome", d.allowed() ? "allowed" : "denied",
                "category", d.category().name()).increment();
    }

    // ---- audit trail ----

    @Override
    public void listAccessRecords(ListAccessRecordsRequest request, StreamObserver<ListAccessRecordsResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        String personId = ConsentMapper.personId(request.getParent(), "parent", v);
        AccessRecordPage page = accessRecords.list(caller, personId, request.getPageSize(), request.getPageToken(), v);
        var b = ListAccessRecordsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.entries().forEach(e -> b.addAccessRecords(ConsentMapper.toProto(e)));
        reply(response, b.build());
    }

    @Override
    public void verifyAuditTrail(VerifyAuditTrailRequest request, StreamObserver<VerifyAuditTrailResponse> response) {
        AuditVerification r = accessRecords.verify(CurrentCaller.get(), request.getFull());
        reply(response, VerifyAuditTrailResponse.newBuilder()
                .setIntact(r.intact())
                .setEntriesChecked(r.entriesChecked())
                .setFirstBadSequence(r.firstBadSequence())
                .setProblem(r.problem())
                .setLastHash(r.lastHash())
                .build());
    }

    private static <T> void reply(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
