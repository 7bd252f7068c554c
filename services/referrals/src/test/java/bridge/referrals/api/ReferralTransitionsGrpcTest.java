package bridge.referrals.api;

import bridge.support.testing.ServiceTestBeans;
import static bridge.referrals.api.ReferralGrpcServiceTest.catchStatus;
import static bridge.referrals.api.ReferralGrpcServiceTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.AgencyType;
import bridge.proto.referrals.v1.AcceptReferralRequest;
import bridge.proto.referrals.v1.AcknowledgeReferralRequest;
import bridge.proto.referrals.v1.CancelReferralRequest;
import bridge.proto.referrals.v1.CompleteReferralRequest;
import bridge.proto.referrals.v1.CreateReferralRequest;
import bridge.proto.referrals.v1.FailReferralRequest;
import bridge.proto.referrals.v1.GetReferralRequest;
import bridge.proto.referrals.v1.HoldReferralRequest;
import bridge.proto.referrals.v1.Pathway;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralHistoryEntry;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import bridge.proto.referrals.v1.ReferralServiceGrpc.ReferralServiceBlockingStub;
import bridge.proto.referrals.v1.ReferralStatus;
import bridge.proto.referrals.v1.RejectReferralRequest;
import bridge.proto.referrals.v1.ResumeReferralRequest;
import bridge.proto.referrals.v1.StartReferralRequest;
import bridge.proto.referrals.v1.StatusReason;
import bridge.proto.referrals.v1.StatusReasonCode;
import bridge.referrals.ReferralsApplication;
import bridge.referrals.domain.HistoryEntry;
import bridge.referrals.domain.ReferralRepository;
import bridge.referrals.domain.PathwayTimers;
import bridge.referrals.domain.TimerPolicy;
import bridge.referrals.domain.Transition;
import bridge.proto.referrals.v1.ListOverdueReferralsRequest;
import bridge.proto.referrals.v1.ListOverdueReferralsResponse;
import bridge.proto.referrals.v1.OverdueReferral;
import bridge.proto.referrals.v1.ReferralTimer;
import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.TestTokens;
import com.google.protobuf.util.Timestamps;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The lifecycle custom methods (:acknowledge, :accept, ..., :cancel) over in-process gRPC. */
@SpringBootTest(classes = {ReferralsApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=referrals", "spring.grpc.server.inprocess.name=referrals-transitions-test",
                "bridge.mongodb.database=referrals-transitions-test",
                "bridge.referrals.timers.PEER_NAVIGATOR.acknowledge-working-days=3",
                "bridge.referrals.timers.PEER_NAVIGATOR.first-appointment-days=9"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferralTransitionsGrpcTest {

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    // not directExecutor: the concurrency test needs calls really in flight at once
    private final ManagedChannel channel = InProcessChannelBuilder.forName("referrals-transitions-test").build();

    @Autowired
    MongoDatabase db;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner-2", "worker");
    private static final String TREATMENT = TestTokens.token("forward-leeds", "TREATMENT", "keyworker-1", "worker");
    private static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "officer", "worker");

    private ReferralServiceBlockingStub as(String token) {
        return ReferralServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private MongoCollection<Document> referrals() {
        return db.getCollection("referrals");
    }

    private Document stored(Referral r) {
        return referrals().find(new Document("_id", r.getName().substring("referrals/".length()))).first();
    }

    @Autowired
    bridge.support.testing.FakeConsentDecisions consent;

    /** Sent by the prison, with the person's consent that the treatment service may have what it shares. */
    private Referral send() {
        String personId = Ids.next();
        consent.grant("forward-leeds", personId, bridge.support.consent.DataCategory.REFERRALS,
                bridge.support.consent.DataCategory.SUBSTANCE_USE, bridge.support.consent.DataCategory.JUSTICE);
        return as(PRISON).createReferral(CreateReferralRequest.newBuilder().setReferral(Referral.newBuilder()
                .setPerson("people/" + personId)
                .setPathway(Pathway.PATHWAY_CUSTODY_RELEASE_TREATMENT)
                .setCustodyRelease(ProtoFixtures.custodyRelease(java.time.LocalDate.now().plusWeeks(6)))
                .setPerformerAgency("forward-leeds")
                .setReason("Release in six weeks; on methadone in custody.")).build());
    }

    private static StatusReason reason(StatusReasonCode code, String text) {
        return StatusReason.newBuilder().setCode(code).setText(text).build();
    }

    @Test
    void theReceiverWalksTheReferralToCompletionAndEveryStepIsAttributed() {
        Referral r = send();
        r = as(TREATMENT).acknowledgeReferral(AcknowledgeReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag()).build());
        assertThat(r.getStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_RECEIVED);
        assertThat(r.getEtag()).isEqualTo("W/\"2\"");
        r = as(TREATMENT).acceptReferral(AcceptReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag()).build());
        r = as(TREATMENT).startReferral(StartReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag()).build());
        r = as(TREATMENT).holdReferral(HoldReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag())
                .setReason(reason(StatusReasonCode.STATUS_REASON_CODE_PERSON_IN_HOSPITAL, "Admitted for two weeks")).build());
        assertThat(r.getStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_ON_HOLD);
        r = as(TREATMENT).resumeReferral(ResumeReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag()).build());
        r = as(TREATMENT).completeReferral(CompleteReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag()).build());
        assertThat(r.getStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_COMPLETED);
        assertThat(r.getEtag()).isEqualTo("W/\"7\"");
        assertThat(r.getHistoryList()).extracting(ReferralHistoryEntry::getStatus).containsExactly(
                ReferralStatus.REFERRAL_STATUS_RECEIVED, ReferralStatus.REFERRAL_STATUS_ACCEPTED,
                ReferralStatus.REFERRAL_STATUS_IN_PROGRESS, ReferralStatus.REFERRAL_STATUS_ON_HOLD,
                ReferralStatus.REFERRAL_STATUS_IN_PROGRESS, ReferralStatus.REFERRAL_STATUS_COMPLETED);
        ReferralHistoryEntry hold = r.getHistory(3);
        assertThat(hold.getPreviousStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_IN_PROGRESS);
        assertThat(hold.getActor().getAgency()).isEqualTo("forward-leeds");
        assertThat(hold.getActor().getSubject()).isEqualTo("keyworker-1");
        assertThat(hold.getActor().getAgencyType()).isEqualTo(AgencyType.AGENCY_TYPE_TREATMENT);
        assertThat(hold.getReason().getCode()).isEqualTo(StatusReasonCode.STATUS_REASON_CODE_PERSON_IN_HOSPITAL);
        assertThat(hold.getReason().getText()).isEqualTo("Admitted for two weeks");
        assertThat(r.getHistory(4).hasReason()).isFalse();
        assertThat(r.getUpdateTime()).isEqualTo(r.getHistory(5).getTime());
        assertThat(Timestamps.compare(r.getUpdateTime(), r.getCreateTime())).isGreaterThanOrEqualTo(0);

        // both ends read back exactly what the last transition returned
        GetReferralRequest get = GetReferralRequest.newBuilder().setName(r.getName()).build();
        assertThat(as(PRISON).getReferral(get)).isEqualTo(r);
        assertThat(as(TREATMENT).getReferral(get)).isEqualTo(r);
    }

    @Test
    void theSenderCancelsAndTheReceiverRejectsOrFailsWithAReason() {
        Referral cancelled = send();
        cancelled = as(PRISON).cancelReferral(CancelReferralRequest.newBuilder().setName(cancelled.getName())
                .setEtag(cancelled.getEtag()).setReason(reason(StatusReasonCode.STATUS_REASON_CODE_REFERRED_IN_ERROR, "")).build());
        assertThat(cancelled.getStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_CANCELLED);
        assertThat(cancelled.getHistory(0).getActor().getAgency()).isEqualTo("hmp-leeds");

        Referral rejected = send();
        rejected = as(TREATMENT).rejectReferral(RejectReferralRequest.newBuilder().setName(rejected.getName())
                .setEtag(rejected.getEtag()).setReason(reason(StatusReasonCode.STATUS_REASON_CODE_OUT_OF_AREA,
                        "Lives in Bradford")).build());
        assertThat(rejected.getStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_REJECTED);
        assertThat(stored(rejected).getList("history", Document.class).getFirst().get("reason", Document.class))
                .isEqualTo(new Document("code", "OUT_OF_AREA").append("text", "Lives in Bradford"));

        Referral failed = send();
        failed = as(TREATMENT).acceptReferral(AcceptReferralRequest.newBuilder().setName(failed.getName()).setEtag(failed.getEtag()).build());
        failed = as(TREATMENT).failReferral(FailReferralRequest.newBuilder().setName(failed.getName()).setEtag(failed.getEtag())
                .setReason(reason(StatusReasonCode.STATUS_REASON_CODE_PERSON_NOT_CONTACTABLE, "Three letters, no reply")).build());
        assertThat(failed.getStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_FAILED);
    }

    @Test
    void badRequestsGetTheRightErrorAndChangeNothing() {
        Referral r = send();
        Document before = stored(r);

        // missing reason, missing code, OTHER without text: named fields
        assertThat(fields(catchStatus(() -> as(TREATMENT).rejectReferral(RejectReferralRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).build())))).containsExactly("reason.code");
        assertThat(fields(catchStatus(() -> as(PRISON).cancelReferral(CancelReferralRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).setReason(reason(StatusReasonCode.STATUS_REASON_CODE_UNSPECIFIED, "why"))
                .build())))).containsExactly("reason.code");
        assertThat(fields(catchStatus(() -> as(TREATMENT).rejectReferral(RejectReferralRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).setReason(reason(StatusReasonCode.STATUS_REASON_CODE_OTHER, ""))
                .build())))).containsExactly("reason.text");
        assertThat(fields(catchStatus(() -> as(TREATMENT).rejectReferral(RejectReferralRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).setReason(reason(StatusReasonCode.STATUS_REASON_CODE_DUPLICATE, "x".repeat(2001)))
                .build())))).containsExactly("reason.text");
        // missing etag and a malformed name
        assertThat(fields(catchStatus(() -> as(TREATMENT).acceptReferral(AcceptReferralRequest.newBuilder()
                .setName("people/x").build())))).containsExactly("name", "etag");

        // illegal transition: names the current state
        StatusRuntimeException illegal = catchStatus(() -> as(TREATMENT).completeReferral(CompleteReferralRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).build()));
        assertThat(illegal.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(illegal.getStatus().getDescription()).contains("is requested");

        // wrong end of the referral, and an agency that is neither
        assertThat(catchStatus(() -> as(PRISON).acceptReferral(AcceptReferralRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).build())).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(catchStatus(() -> as(TREATMENT).cancelReferral(CancelReferralRequest.newBuilder().setName(r.getName())
                .setEtag(r.getEtag()).setReason(reason(StatusReasonCode.STATUS_REASON_CODE_DUPLICATE, "")).build()))
                .getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        StatusRuntimeException stranger = catchStatus(() -> as(HOUSING).acceptReferral(AcceptReferralRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).build()));
        StatusRuntimeException readByStranger = catchStatus(() -> as(HOUSING).getReferral(
                GetReferralRequest.newBuilder().setName(r.getName()).build()));
        assertThat(stranger.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(stranger.getStatus().getDescription()).isEqualTo(readByStranger.getStatus().getDescription());

        // stale etag
        assertThat(catchStatus(() -> as(TREATMENT).acceptReferral(AcceptReferralRequest.newBuilder()
                .setName(r.getName()).setEtag("W/\"7\"").build())).getStatus().getCode()).isEqualTo(Status.Code.ABORTED);

        assertThat(stored(r)).isEqualTo(before);
    }

    @Test
    void anUnknownPathwayIsNamedAndNothingIsStored() {
        long count = referrals().countDocuments();
        assertThat(fields(catchStatus(() -> as(PRISON).createReferral(CreateReferralRequest.newBuilder()
                .setReferral(Referral.newBuilder().setPerson("people/" + Ids.next()).setPathwayValue(99)
                        .setPerformerAgency("forward-leeds")).build())))).containsExactly("referral.pathway");
        assertThat(referrals().countDocuments()).isEqualTo(count);
    }

    /** Every pathway's data, in contract form: sent, stored, and read back unchanged by the receiver. */
    static java.util.Map<Pathway, java.util.function.Consumer<Referral.Builder>> allPathways() {
        java.time.LocalDate d = java.time.LocalDate.of(2020, 1, 6);
        var date = (java.util.function.Function<java.time.LocalDate, com.google.type.Date>) bridge.support.grpc.ProtoMapping::date;
        return java.util.Map.of(
                Pathway.PATHWAY_DRUG_TEST_ON_ARREST, b -> b.setDrugTestOnArrest(ProtoFixtures.drugTest()),
                Pathway.PATHWAY_CUSTODY_RELEASE_TREATMENT, b -> b.setCustodyRelease(ProtoFixtures.custodyRelease(d)),
                Pathway.PATHWAY_COURT_TREATMENT_REQUIREMENT, b -> b.setCourtTreatmentRequirement(
                        bridge.proto.referrals.v1.CourtTreatmentRequirement.newBuilder()
                                .setRequirement(bridge.proto.referrals.v1.TreatmentRequirement.TREATMENT_REQUIREMENT_ATR)
                                .setOrderStartDate(date.apply(d)).setOrderEndDate(date.apply(d.plusMonths(9)))
                                .setResponsibleOfficer("J. Smith").setProbationAgency("yorkshire-probation")
                                .setMissedAppointmentsToProbation(true)),
                Pathway.PATHWAY_DUTY_TO_REFER, b -> b.setDutyToRefer(bridge.proto.referrals.v1.DutyToRefer.newBuilder()
                        .setLocalHousingAuthority("E08000035")
                        .setCircumstance(bridge.proto.referrals.v1.HousingCircumstance.HOUSING_CIRCUMSTANCE_HOMELESS)),
                Pathway.PATHWAY_RELEASE_BENEFITS_CLAIM, b -> b.setReleaseBenefitsClaim(
                        bridge.proto.referrals.v1.ReleaseBenefitsClaim.newBuilder().setReleaseDate(date.apply(d))
                                .addBenefits(bridge.proto.referrals.v1.Benefit.BENEFIT_UNIVERSAL_CREDIT)
                                .addBenefits(bridge.proto.referrals.v1.Benefit.BENEFIT_UNIVERSAL_CREDIT_HOUSING_COSTS)
                                .setIdentityDocumentsHeld(true)),
                Pathway.PATHWAY_PEER_NAVIGATOR, b -> b.setPeerNavigator(ProtoFixtures.peerNavigator()),
                Pathway.PATHWAY_LIAISON_AND_DIVERSION, b -> b.setLiaisonAndDiversion(
                        bridge.proto.referrals.v1.LiaisonAndDiversion.newBuilder()
                                .setContactPoint(bridge.proto.referrals.v1.ContactPoint.CONTACT_POINT_COURT)
                                .addNeeds(bridge.proto.referrals.v1.PresentingNeed.PRESENTING_NEED_MENTAL_HEALTH)
                                .addNeeds(bridge.proto.referrals.v1.PresentingNeed.PRESENTING_NEED_DRUG_USE)));
    }

    @Test
    void everyPathwaysDataIsStoredAndReadBackUnchanged() {
        allPathways().forEach((pathway, details) -> {
            if (pathway == Pathway.PATHWAY_DUTY_TO_REFER || pathway == Pathway.PATHWAY_RELEASE_BENEFITS_CLAIM) {
                return; // handed over to a liaison service on create: ReferralHandoverGrpcTest, with fake liaison services
            }
            String personId = Ids.next();
            consent.grant("forward-leeds", personId, bridge.support.consent.DataCategory.values());
            Referral.Builder sent = Referral.newBuilder().setPerson("people/" + personId).setPathway(pathway)
                    .setPerformerAgency("forward-leeds");
            details.accept(sent);
            Referral created = as(PRISON).createReferral(CreateReferralRequest.newBuilder().setReferral(sent).build());
            assertThat(created.getPathwayDetailsCase()).as(pathway.name()).isEqualTo(sent.getPathwayDetailsCase());
            Referral read = as(TREATMENT).getReferral(GetReferralRequest.newBuilder().setName(created.getName()).build());
            assertThat(read).as(pathway.name()).isEqualTo(created);
            assertThat(read.toBuilder().clearName().clearRequester().clearStatus().clearCreateTime().clearUpdateTime()
                    .clearEtag().clearDisengagementPlan().build()).isEqualTo(sent.build());
        });
    }

    @Test
    void pathwayDataIsCheckedAndABadRequestWritesNothing() {
        long count = referrals().countDocuments();
        // no data, data of another pathway, unspecified values in a list
        assertThat(fields(catchStatus(() -> as(PRISON).createReferral(CreateReferralRequest.newBuilder()
                .setReferral(Referral.newBuilder().setPerson("people/" + Ids.next())
                        .setPathway(Pathway.PATHWAY_CUSTODY_RELEASE_TREATMENT).setPerformerAgency("forward-leeds")).build()))))
                .containsExactly("referral.custody_release");
        assertThat(fields(catchStatus(() -> as(PRISON).createReferral(CreateReferralRequest.newBuilder()
                .setReferral(Referral.newBuilder().setPerson("people/" + Ids.next())
                        .setPathway(Pathway.PATHWAY_CUSTODY_RELEASE_TREATMENT).setPerformerAgency("forward-leeds")
                        .setPeerNavigator(ProtoFixtures.peerNavigator())).build()))))
                .containsExactly("referral.peer_navigator");
        assertThat(fields(catchStatus(() -> as(PRISON).createReferral(CreateReferralRequest.newBuilder()
                .setReferral(Referral.newBuilder().setPerson("people/" + Ids.next())
                        .setPathway(Pathway.PATHWAY_DRUG_TEST_ON_ARREST).setPerformerAgency("forward-leeds")
                        .setDrugTestOnArrest(ProtoFixtures.drugTest().toBuilder().addSubstancesValue(0)
                                .clearRequiredAssessmentDate())).build()))))
                .containsExactly("referral.drug_test_on_arrest.substances[2]",
                        "referral.drug_test_on_arrest.required_assessment_date");
        // custody release planning opens 12 weeks before release
        StatusRuntimeException early = catchStatus(() -> as(PRISON).createReferral(CreateReferralRequest.newBuilder()
                .setReferral(Referral.newBuilder().setPerson("people/" + Ids.next())
                        .setPathway(Pathway.PATHWAY_CUSTODY_RELEASE_TREATMENT).setPerformerAgency("forward-leeds")
                        .setCustodyRelease(ProtoFixtures.custodyRelease(java.time.LocalDate.now().plusWeeks(13))))
                .setRequestId("too-early").build()));
        assertThat(early.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(early.getStatus().getDescription()).contains("referral.custody_release.release_date", "12 weeks");
        assertThat(referrals().countDocuments()).isEqualTo(count);
    }

    @Test
    void appointmentsAndRaisedStepsAreStoredAndReadBack() {
        Referral r = send();
        r = as(TREATMENT).acceptReferral(AcceptReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag()).build());
        com.google.protobuf.Timestamp past = Timestamps.fromMillis(System.currentTimeMillis() - 86_400_000L);
        com.google.protobuf.Timestamp future = Timestamps.fromMillis(System.currentTimeMillis() + 86_400_000L);
        r = as(TREATMENT).recordAppointment(bridge.proto.referrals.v1.RecordAppointmentRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag()).setStartTime(future)
                .setOutcome(bridge.proto.referrals.v1.AppointmentOutcome.APPOINTMENT_OUTCOME_OFFERED).build());
        for (int i = 0; i < 2; i++) {
            r = as(TREATMENT).recordAppointment(bridge.proto.referrals.v1.RecordAppointmentRequest.newBuilder()
                    .setName(r.getName()).setEtag(r.getEtag()).setStartTime(past)
                    .setOutcome(bridge.proto.referrals.v1.AppointmentOutcome.APPOINTMENT_OUTCOME_MISSED).build());
        }
        assertThat(r.getAppointmentsList()).extracting(a -> a.getOutcome().name()).containsExactly(
                "APPOINTMENT_OUTCOME_MISSED", "APPOINTMENT_OUTCOME_MISSED", "APPOINTMENT_OUTCOME_OFFERED");
        // the standard plan: two missed in a row raise outreach, peer navigator and notifying the referrer
        assertThat(r.getDisengagementPlan().getMissedInARow()).isEqualTo(2);
        assertThat(r.getReengagementStepsList()).extracting(x -> x.getKind().name()).containsExactly(
                "REENGAGEMENT_STEP_KIND_OUTREACH", "REENGAGEMENT_STEP_KIND_PEER_NAVIGATOR",
                "REENGAGEMENT_STEP_KIND_NOTIFY_REFERRER");
        r = as(TREATMENT).recordReengagementStep(bridge.proto.referrals.v1.RecordReengagementStepRequest.newBuilder()
                .setName(r.getName()).setEtag(r.getEtag())
                .setKind(bridge.proto.referrals.v1.ReengagementStepKind.REENGAGEMENT_STEP_KIND_NOTIFY_REFERRER)
                .setNote("Phoned the release planner").build());
        assertThat(r.getReengagementSteps(2).hasDoneTime()).isTrue();
        assertThat(r.getPickedUp()).isFalse();
        Referral read = as(TREATMENT).getReferral(GetReferralRequest.newBuilder().setName(r.getName()).build());
        assertThat(read).isEqualTo(r);
        // the referrer sees the same (closed loop)
        assertThat(as(PRISON).getReferral(GetReferralRequest.newBuilder().setName(r.getName()).build())).isEqualTo(r);
        // a future attended appointment is refused, and nothing changes
        String name = r.getName();
        String etag = r.getEtag();
        assertThat(fields(catchStatus(() -> as(TREATMENT).recordAppointment(bridge.proto.referrals.v1.RecordAppointmentRequest
                .newBuilder().setName(name).setEtag(etag).setStartTime(future)
                .setOutcome(bridge.proto.referrals.v1.AppointmentOutcome.APPOINTMENT_OUTCOME_ATTENDED).build()))))
                .containsExactly("start_time");
        assertThat(as(TREATMENT).getReferral(GetReferralRequest.newBuilder().setName(name).build())).isEqualTo(r);
    }

    @Autowired
    ReferralRepository repository;

    @Autowired
    TimerPolicy timers;

    @Test
    void pathwayTimersComeFromConfiguration() {
        assertThat(timers.of(bridge.referrals.domain.Pathway.PEER_NAVIGATOR)).isEqualTo(new PathwayTimers(3, 9));
        assertThat(timers.of(bridge.referrals.domain.Pathway.DRUG_TEST_ON_ARREST)).isEqualTo(new PathwayTimers(2, 14));
    }

    @Test
    void anAgencyListsItsOverdueReferrals() {
        String team = TestTokens.token("overdue-team", "TREATMENT", "kw-9", "worker");
        Referral late = as(PRISON).createReferral(CreateReferralRequest.newBuilder().setReferral(Referral.newBuilder()
                .setPerson("people/" + Ids.next()).setPathway(Pathway.PATHWAY_PEER_NAVIGATOR)
                .setPeerNavigator(ProtoFixtures.peerNavigator()).setPerformerAgency("overdue-team")).build());
        Referral fresh = as(PRISON).createReferral(CreateReferralRequest.newBuilder().setReferral(Referral.newBuilder()
                .setPerson("people/" + Ids.next()).setPathway(Pathway.PATHWAY_PEER_NAVIGATOR)
                .setPeerNavigator(ProtoFixtures.peerNavigator()).setPerformerAgency("overdue-team")).build());
        Instant sent = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        referrals().updateOne(new Document("_id", late.getName().substring("referrals/".length())),
                new Document("$set", new Document("createdAt", java.util.Date.from(sent))));

        ListOverdueReferralsResponse page = as(team).listOverdueReferrals(ListOverdueReferralsRequest.getDefaultInstance());
        assertThat(page.getOverdueReferralsList()).hasSize(1);
        OverdueReferral o = page.getOverdueReferrals(0);
        assertThat(o.getReferral().getName()).isEqualTo(late.getName()).isNotEqualTo(fresh.getName());
        assertThat(o.getTimer()).isEqualTo(ReferralTimer.REFERRAL_TIMER_ACKNOWLEDGE);
        // three working days after sending (the exact arithmetic is TimerPolicyTest's): 3 to 5 days, on a weekday
        Instant due = Instant.ofEpochMilli(Timestamps.toMillis(o.getDueTime()));
        assertThat(due).isBetween(sent.plus(3, ChronoUnit.DAYS).minus(1, ChronoUnit.HOURS),
                sent.plus(5, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS));
        assertThat(due.atZone(java.time.ZoneId.of("Europe/London")).getDayOfWeek().getValue()).isLessThanOrEqualTo(5);
        assertThat(page.getNextPageToken()).isEmpty();
        assertThat(as(PRISON).listOverdueReferrals(ListOverdueReferralsRequest.getDefaultInstance()).getOverdueReferralsList())
                .extracting(x -> x.getReferral().getName()).doesNotContain(late.getName());
        assertThat(fields(catchStatus(() -> as(team).listOverdueReferrals(ListOverdueReferralsRequest.newBuilder()
                .setPageToken("nope").build())))).containsExactly("page_token");
    }

    /**
     * The last line of defence, deterministically: two writers that both read version 1 (so both
     * passed the etag check) race for the conditional update; the second matches nothing.
     */
    @Test
    void theConditionalUpdateLetsOnlyTheFirstOfTwoWritersOfOneVersionThrough() {
        Referral sent = send();
        bridge.referrals.domain.Referral read = repository.findById(sent.getName().substring("referrals/".length())).orElseThrow();
        Actor keyworker = new Actor("keyworker-1", "forward-leeds", bridge.support.identity.AgencyType.TREATMENT);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HistoryEntry accept = new HistoryEntry(Transition.ACCEPT, read.status(), Transition.ACCEPT.to(), keyworker, at, null);
        HistoryEntry reject = new HistoryEntry(Transition.REJECT, read.status(), Transition.REJECT.to(), keyworker, at,
                new bridge.referrals.domain.StatusReason(bridge.referrals.domain.StatusReasonCode.NO_CAPACITY, ""));
        assertThat(repository.applyTransition(read.after(accept), read.version(), accept)).isTrue();
        assertThat(repository.applyTransition(read.after(reject), read.version(), reject)).isFalse();
        bridge.referrals.domain.Referral now = repository.findById(read.id()).orElseThrow();
        assertThat(now).isEqualTo(read.after(accept));
        assertThat(now.history()).hasSize(1);
    }

    /** Two transitions fired at once from two threads with the same etag: exactly one wins. */
    @RepeatedTest(10)
    void concurrentTransitionsNeverBothWin() throws Exception {
        Referral r = send();
        AcceptReferralRequest accept = AcceptReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag()).build();
        RejectReferralRequest reject = RejectReferralRequest.newBuilder().setName(r.getName()).setEtag(r.getEtag())
                .setReason(reason(StatusReasonCode.STATUS_REASON_CODE_NO_CAPACITY, "")).build();
        List<Function<ReferralServiceBlockingStub, Referral>> moves = List.of(s -> s.acceptReferral(accept),
                s -> s.rejectReferral(reject));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> outcomes = new ArrayList<>();
            for (Function<ReferralServiceBlockingStub, Referral> move : moves) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        return move.apply(as(TREATMENT));
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : outcomes) {
                results.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(o -> o instanceof Referral).hasSize(1);
            assertThat(results).filteredOn(o -> o == Status.Code.ABORTED).hasSize(1);
            Referral winner = (Referral) results.stream().filter(o -> o instanceof Referral).findFirst().orElseThrow();
            Document after = stored(r);
            assertThat(after.getList("history", Document.class)).hasSize(1);
            assertThat(after.getString("status")).isEqualTo(winner.getStatus().name().substring("REFERRAL_STATUS_".length()));
            assertThat(((Number) after.get("version")).longValue()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
