package bridge.referrals.api;

import static bridge.referrals.api.ReferralGrpcServiceTest.catchStatus;
import static bridge.referrals.api.ReferralGrpcServiceTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.ClaimPreparation;
import bridge.proto.benefits.v1.CreateClaimPreparationRequest;
import bridge.proto.housing.v1.CreateDutyToReferNoticeRequest;
import bridge.proto.housing.v1.DutyToReferNotice;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.proto.referrals.v1.Benefit;
import bridge.proto.referrals.v1.CreateReferralRequest;
import bridge.proto.referrals.v1.DutyToRefer;
import bridge.proto.referrals.v1.GetReferralRequest;
import bridge.proto.referrals.v1.HandoverState;
import bridge.proto.referrals.v1.HousingCircumstance;
import bridge.proto.referrals.v1.Jurisdiction;
import bridge.proto.referrals.v1.Pathway;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import bridge.proto.referrals.v1.ReleaseBenefitsClaim;
import bridge.referrals.ReferralsApplication;
import bridge.support.errors.BridgeException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.grpc.GrpcErrorMapping;
import bridge.support.grpc.ProtoMapping;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import com.google.rpc.ErrorInfo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hand-overs (duty to refer → housing-liaison, release → benefits-liaison) against fake liaison
 * services on real local gRPC ports, wired through the service's own configuration (targets,
 * deadline, retry, the caller's token forwarded).
 */
@SpringBootTest(classes = {ReferralsApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=referrals", "spring.grpc.server.inprocess.name=referrals-handover-test",
                "bridge.mongodb.database=referrals-handover-test",
                "bridge.referrals.handover.deadline=2s"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferralHandoverGrpcTest {

    /** What the fake liaison does with the next calls. */
    enum Mode { OK, DOWN, ANSWER_LOST, REFUSE_CONSENT, REFUSE_AUTHORITY, REFUSE_RELEASE_DATE }

    static final FakeHousing HOUSING_LIAISON = new FakeHousing();
    static final FakeBenefits BENEFITS_LIAISON = new FakeBenefits();
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    static final Server HOUSING_SERVER = start(ServerInterceptors.intercept(HOUSING_LIAISON, recordAuthorization()));
    static final Server BENEFITS_SERVER = start(ServerInterceptors.intercept(BENEFITS_LIAISON, recordAuthorization()));

    private static Server start(io.grpc.ServerServiceDefinition service) {
        try {
            return ServerBuilder.forPort(0).addService(service).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static io.grpc.ServerInterceptor recordAuthorization() {
        return new io.grpc.ServerInterceptor() {
            @Override
            public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, Metadata headers,
                                                                      io.grpc.ServerCallHandler<Q, A> next) {
                AUTHORIZATIONS.add(String.valueOf(headers.get(AUTHORIZATION)));
                return next.startCall(call, headers);
            }
        };
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
        registry.add("bridge.housing.target", () -> "127.0.0.1:" + HOUSING_SERVER.getPort());
        registry.add("bridge.benefits.target", () -> "127.0.0.1:" + BENEFITS_SERVER.getPort());
    }

    private static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner-2", "worker");
    private static final String TREATMENT = TestTokens.token("forward-leeds", "TREATMENT", "keyworker-1", "worker");

    private final ManagedChannel channel = InProcessChannelBuilder.forName("referrals-handover-test").directExecutor().build();

    @Autowired
    MongoDatabase db;

    @Autowired
    FakeConsentDecisions consent;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        HOUSING_SERVER.shutdownNow();
        BENEFITS_SERVER.shutdownNow();
    }

    @Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers;

    @BeforeEach
    void reset() {
        // each case starts with closed breakers: the outages of one case must not refuse the next one's calls
        breakers.getAllCircuitBreakers().forEach(io.github.resilience4j.circuitbreaker.CircuitBreaker::reset);
        HOUSING_LIAISON.mode = Mode.OK;
        BENEFITS_LIAISON.mode = Mode.OK;
    }

    private ReferralServiceGrpc.ReferralServiceBlockingStub as(String token) {
        return ReferralServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private MongoCollection<Document> referrals() {
        return db.getCollection("referrals");
    }

    private long storedAbout(String personId) {
        return referrals().countDocuments(new Document("personId", personId));
    }

    private static Referral.Builder dutyToRefer(String personId, String authority) {
        return Referral.newBuilder().setPerson("people/" + personId).setPathway(Pathway.PATHWAY_DUTY_TO_REFER)
                .setPerformerAgency("leeds-housing").setReason("Tenancy ended while in custody.")
                .setDutyToRefer(DutyToRefer.newBuilder().setLocalHousingAuthority(authority)
                        .setCircumstance(HousingCircumstance.HOUSING_CIRCUMSTANCE_HOMELESS)
                        .setContactPhone("0113 496 0000").setContactNote("via the prison's resettlement team")
                        .setExpectedHomelessDate(ProtoMapping.date(LocalDate.now().plusWeeks(4))));
    }

    private static Referral.Builder releaseBenefits(String personId, LocalDate release) {
        return Referral.newBuilder().setPerson("people/" + personId).setPathway(Pathway.PATHWAY_RELEASE_BENEFITS_CLAIM)
                .setPerformerAgency("jobcentre-leeds")
                .setReleaseBenefitsClaim(ReleaseBenefitsClaim.newBuilder().setReleaseDate(ProtoMapping.date(release))
                        .addBenefits(Benefit.BENEFIT_UNIVERSAL_CREDIT)
                        .addBenefits(Benefit.BENEFIT_UNIVERSAL_CREDIT_HOUSING_COSTS)
                        .setIdentityDocumentsHeld(true).setJurisdiction(Jurisdiction.JURISDICTION_SCOTLAND));
    }

    private Referral create(Referral.Builder referral, String requestId) {
        return as(PRISON).createReferral(CreateReferralRequest.newBuilder().setReferral(referral).setRequestId(requestId).build());
    }

    @Test
    void aDutyToReferReferralBecomesOneNoticeMadeAsTheSender() {
        String personId = Ids.next();
        String requestId = "dtr-" + personId;
        int calls = HOUSING_LIAISON.calls.size();
        AUTHORIZATIONS.clear();

        Referral sent = create(dutyToRefer(personId, "E08000035"), requestId);

        String id = sent.getName().substring("referrals/".length());
        assertThat(sent.getHandover().getState()).isEqualTo(HandoverState.HANDOVER_STATE_DONE);
        assertThat(sent.getHandover().getRecordsList()).containsExactly(HOUSING_LIAISON.noticeFor("referral-" + id));
        CreateDutyToReferNoticeRequest call = HOUSING_LIAISON.calls.get(calls);
        assertThat(call.getParent()).isEqualTo("people/" + personId);
        assertThat(call.getRequestId()).isEqualTo("referral-" + id);
        DutyToReferNotice notice = call.getDutyToReferNotice();
        assertThat(notice.getAuthorityCode()).isEqualTo("E08000035");
        assertThat(notice.getReferral()).isEqualTo(sent.getName());
        assertThat(notice.getReason()).isEqualTo("Homeless: Tenancy ended while in custody.");
        assertThat(notice.getContactPhone()).isEqualTo("0113 496 0000");
        assertThat(notice.getContactNote()).isEqualTo("via the prison's resettlement team");
        assertThat(notice.getExpectedHomelessDate()).isEqualTo(ProtoMapping.date(LocalDate.now().plusWeeks(4)));
        // the sender's own token went on: the liaison service decides consent for the real agency
        assertThat(AUTHORIZATIONS).containsExactly("Bearer " + PRISON);

        // the retried create returns the same referral and makes nothing more
        Referral retried = create(dutyToRefer(personId, "E08000035"), requestId);
        assertThat(retried).isEqualTo(sent);
        assertThat(HOUSING_LIAISON.calls).hasSize(calls + 1);
        // the hand-over is on the stored referral: read back, by the sender and the consenting receiver
        assertThat(as(PRISON).getReferral(GetReferralRequest.newBuilder().setName(sent.getName()).build())).isEqualTo(sent);
        consent.grant("leeds-housing", personId, bridge.support.consent.DataCategory.REFERRALS,
                bridge.support.consent.DataCategory.HOUSING);
        Referral read = as(TestTokens.token("leeds-housing", "HOUSING", "officer", "worker"))
                .getReferral(GetReferralRequest.newBuilder().setName(sent.getName()).build());
        assertThat(read.getHandover()).isEqualTo(sent.getHandover());
        assertThat(read.getDutyToRefer()).isEqualTo(dutyToRefer(personId, "E08000035").getDutyToRefer());
    }

    @Test
    void withoutARequestIdAHandedOverPathwayIsRefusedAndNothingIsWrittenOrSent() {
        String personId = Ids.next();
        int calls = HOUSING_LIAISON.calls.size();
        StatusRuntimeException e = catchStatus(() -> as(PRISON).createReferral(CreateReferralRequest.newBuilder()
                .setReferral(dutyToRefer(personId, "E08000035")).build()));
        assertThat(fields(e)).containsExactly("request_id");
        assertThat(storedAbout(personId)).isZero();
        assertThat(HOUSING_LIAISON.calls).hasSize(calls);
    }

    @Test
    void housingLiaisonDownIsUnavailableAndTheRetryCompletesTheSameHandover() {
        String personId = Ids.next();
        String requestId = "dtr-" + personId;
        HOUSING_LIAISON.mode = Mode.DOWN;

        StatusRuntimeException down = catchStatus(() -> create(dutyToRefer(personId, "E08000035"), requestId));

        assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(reason(down)).isEqualTo("REFERRAL_HANDOVER_PENDING");
        Document pending = referrals().find(new Document("personId", personId)).first();
        assertThat(pending).isNotNull();
        assertThat(pending.get("handover", Document.class).getString("state")).isEqualTo("PENDING");
        assertThat(HOUSING_LIAISON.created).doesNotContainKey("referral-" + pending.getString("_id"));

        HOUSING_LIAISON.mode = Mode.OK;
        Referral sent = create(dutyToRefer(personId, "E08000035"), requestId);

        assertThat(sent.getName()).isEqualTo("referrals/" + pending.getString("_id"));
        assertThat(sent.getHandover().getState()).isEqualTo(HandoverState.HANDOVER_STATE_DONE);
        assertThat(storedAbout(personId)).isEqualTo(1);
        assertThat(HOUSING_LIAISON.noticesAbout(personId)).isEqualTo(1);
    }

    @Test
    void anAnswerLostAfterTheNoticeWasMadeIsRetriedWithoutASecondNotice() {
        String personId = Ids.next();
        String requestId = "dtr-" + personId;
        HOUSING_LIAISON.mode = Mode.ANSWER_LOST;

        StatusRuntimeException lost = catchStatus(() -> create(dutyToRefer(personId, "E08000035"), requestId));
        assertThat(lost.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(HOUSING_LIAISON.noticesAbout(personId)).isEqualTo(1);

        HOUSING_LIAISON.mode = Mode.OK;
        Referral sent = create(dutyToRefer(personId, "E08000035"), requestId);
        assertThat(sent.getHandover().getRecordsList()).hasSize(1);
        assertThat(HOUSING_LIAISON.noticesAbout(personId)).isEqualTo(1);
        assertThat(storedAbout(personId)).isEqualTo(1);
    }

    @Test
    void missingConsentToReferComesBackClearlyAndTheRetryAfterConsentWorks() {
        String personId = Ids.next();
        String requestId = "dtr-" + personId;
        HOUSING_LIAISON.mode = Mode.REFUSE_CONSENT;

        StatusRuntimeException refused = catchStatus(() -> create(dutyToRefer(personId, "E08000035"), requestId));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(reason(refused)).isEqualTo("CONSENT_TO_REFER_MISSING");
        assertThat(refused.getStatus().getDescription()).contains("housing-liaison", "CONTACT for REFERRAL");
        assertThat(storedAbout(personId)).isZero();

        HOUSING_LIAISON.mode = Mode.OK;   // the person consented meanwhile
        Referral sent = create(dutyToRefer(personId, "E08000035"), requestId);
        assertThat(sent.getHandover().getState()).isEqualTo(HandoverState.HANDOVER_STATE_DONE);
        assertThat(storedAbout(personId)).isEqualTo(1);
        assertThat(HOUSING_LIAISON.noticesAbout(personId)).isEqualTo(1);
    }

    @Test
    void anUnknownAuthorityNamesTheReferralsFieldAndACorrectedRetryWorks() {
        String personId = Ids.next();
        String requestId = "dtr-" + personId;
        HOUSING_LIAISON.mode = Mode.REFUSE_AUTHORITY;

        StatusRuntimeException refused = catchStatus(() -> create(dutyToRefer(personId, "E99999999"), requestId));

        assertThat(fields(refused)).containsExactly("referral.duty_to_refer.local_housing_authority");
        assertThat(storedAbout(personId)).isZero();

        HOUSING_LIAISON.mode = Mode.OK;
        Referral sent = create(dutyToRefer(personId, "E08000035"), requestId);
        assertThat(sent.getDutyToRefer().getLocalHousingAuthority()).isEqualTo("E08000035");
        assertThat(sent.getHandover().getState()).isEqualTo(HandoverState.HANDOVER_STATE_DONE);
        assertThat(HOUSING_LIAISON.noticesAbout(personId)).isEqualTo(1);
    }

    @Test
    void aReleaseBenefitsReferralPreparesOneClaimPerBenefitOnce() {
        String personId = Ids.next();
        String requestId = "rbc-" + personId;
        LocalDate release = LocalDate.now().plusWeeks(5);
        int calls = BENEFITS_LIAISON.calls.size();

        Referral sent = create(releaseBenefits(personId, release), requestId);

        String id = sent.getName().substring("referrals/".length());
        assertThat(sent.getHandover().getState()).isEqualTo(HandoverState.HANDOVER_STATE_DONE);
        assertThat(sent.getHandover().getRecordsList()).containsExactly(
                BENEFITS_LIAISON.preparationFor("referral-" + id + "-UNIVERSAL_CREDIT"),
                BENEFITS_LIAISON.preparationFor("referral-" + id + "-UNIVERSAL_CREDIT_HOUSING_COSTS"));
        List<CreateClaimPreparationRequest> made = BENEFITS_LIAISON.calls.subList(calls, BENEFITS_LIAISON.calls.size());
        assertThat(made).extracting(r -> r.getClaimPreparation().getBenefit()).containsExactly(
                bridge.proto.benefits.v1.Benefit.BENEFIT_UNIVERSAL_CREDIT, bridge.proto.benefits.v1.Benefit.BENEFIT_HOUSING_COSTS);
        ClaimPreparation first = made.get(0).getClaimPreparation();
        assertThat(first.getReleaseDate()).isEqualTo(ProtoMapping.date(release));
        assertThat(first.getJurisdiction()).isEqualTo(bridge.proto.benefits.v1.Jurisdiction.JURISDICTION_SCOTLAND);
        assertThat(first.getChecklist().getProofOfIdentityHeld()).isTrue();
        assertThat(first.getChecklist().getBankAccountReady()).isFalse();
        assertThat(first.getReferral()).isEqualTo(sent.getName());

        assertThat(create(releaseBenefits(personId, release), requestId)).isEqualTo(sent);
        assertThat(BENEFITS_LIAISON.calls).hasSize(calls + 2);
    }

    @Test
    void benefitsLiaisonRefusingTheReleaseDateNamesTheReferralsFieldAndWritesNothing() {
        String personId = Ids.next();
        BENEFITS_LIAISON.mode = Mode.REFUSE_RELEASE_DATE;
        StatusRuntimeException refused = catchStatus(() -> create(releaseBenefits(personId, LocalDate.now().plusDays(1)),
                "rbc-" + personId));
        assertThat(fields(refused)).containsExactly("referral.release_benefits_claim.release_date");
        assertThat(storedAbout(personId)).isZero();
    }

    @Test
    void benefitsLiaisonDownIsUnavailableAndNothingIsDuplicatedOnRetry() {
        String personId = Ids.next();
        String requestId = "rbc-" + personId;
        LocalDate release = LocalDate.now().plusWeeks(5);
        BENEFITS_LIAISON.mode = Mode.DOWN;
        assertThat(catchStatus(() -> create(releaseBenefits(personId, release), requestId)).getStatus().getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(storedAbout(personId)).isEqualTo(1);

        BENEFITS_LIAISON.mode = Mode.OK;
        Referral sent = create(releaseBenefits(personId, release), requestId);
        assertThat(sent.getHandover().getRecordsList()).hasSize(2);
        assertThat(create(releaseBenefits(personId, release), requestId)).isEqualTo(sent);
        assertThat(BENEFITS_LIAISON.preparationsAbout(personId)).isEqualTo(2);
        assertThat(storedAbout(personId)).isEqualTo(1);
    }

    private static String reason(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst()
                .map(a -> {
                    try {
                        return a.unpack(ErrorInfo.class).getReason();
                    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                        throw new AssertionError(ex);
                    }
                }).orElse("");
    }

    /** Answers as the platform's services do (GrpcErrorMapping), or not at all. */
    private static <T> void answer(Mode mode, StreamObserver<T> response, Function<Mode, BridgeException> refusal,
                                   java.util.function.Supplier<T> make) {
        switch (mode) {
            case DOWN -> response.onError(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
            case ANSWER_LOST -> {
                make.get();
                response.onError(Status.UNAVAILABLE.withDescription("answer lost").asRuntimeException());
            }
            case OK -> {
                response.onNext(make.get());
                response.onCompleted();
            }
            default -> response.onError(GrpcErrorMapping.toStatus(refusal.apply(mode)));
        }
    }

    /** Housing liaison as far as the hand-over needs it: one notice per (agency's) request id. */
    static final class FakeHousing extends HousingLiaisonServiceGrpc.HousingLiaisonServiceImplBase {
        volatile Mode mode = Mode.OK;
        final List<CreateDutyToReferNoticeRequest> calls = new CopyOnWriteArrayList<>();
        final Map<String, DutyToReferNotice> created = new ConcurrentHashMap<>();

        String noticeFor(String requestId) {
            return created.get(requestId).getName();
        }

        long noticesAbout(String personId) {
            return created.values().stream().filter(n -> n.getName().startsWith("people/" + personId + "/")).count();
        }

        @Override
        public void createDutyToReferNotice(CreateDutyToReferNoticeRequest request, StreamObserver<DutyToReferNotice> response) {
            calls.add(request);
            answer(mode, response, m -> switch (m) {
                case REFUSE_CONSENT -> new FailedPreconditionException("CONSENT_TO_REFER_MISSING", "no notice was sent: missing "
                        + "the person's consent to sharing their contact details (CONTACT for REFERRAL)");
                default -> InvalidArgumentException.of("duty_to_refer_notice.authority_code",
                        "is not a local housing authority Bridge can refer to");
            }, () -> created.computeIfAbsent(request.getRequestId(), k -> request.getDutyToReferNotice().toBuilder()
                    .setName(request.getParent() + "/dutyToReferNotices/" + Ids.next()).build()));
        }
    }

    /** Benefits liaison as far as the hand-over needs it: one preparation per (agency's) request id. */
    static final class FakeBenefits extends BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceImplBase {
        volatile Mode mode = Mode.OK;
        final List<CreateClaimPreparationRequest> calls = new CopyOnWriteArrayList<>();
        final Map<String, ClaimPreparation> created = new ConcurrentHashMap<>();

        String preparationFor(String requestId) {
            return created.get(requestId).getName();
        }

        long preparationsAbout(String personId) {
            return created.values().stream().filter(n -> n.getName().startsWith("people/" + personId + "/")).count();
        }

        @Override
        public void createClaimPreparation(CreateClaimPreparationRequest request, StreamObserver<ClaimPreparation> response) {
            calls.add(request);
            answer(mode, response, m -> InvalidArgumentException.of("claim_preparation.release_date",
                    "must be in the future for a new preparation"),
                    () -> created.computeIfAbsent(request.getRequestId(), k -> request.getClaimPreparation().toBuilder()
                            .setName(request.getParent() + "/claimPreparations/" + Ids.next()).build()));
        }
    }
}
