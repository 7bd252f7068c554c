package bridge.benefits.api;

import static bridge.benefits.api.BenefitsLiaisonGrpcServiceTest.catchStatus;
import static bridge.benefits.api.BenefitsLiaisonGrpcServiceTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.benefits.BenefitsLiaisonApplication;
import bridge.proto.benefits.v1.Benefit;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.Checklist;
import bridge.proto.benefits.v1.ClaimAlert;
import bridge.proto.benefits.v1.ClaimPreparation;
import bridge.proto.benefits.v1.CreateClaimPreparationRequest;
import bridge.proto.benefits.v1.GetClaimPreparationRequest;
import bridge.proto.benefits.v1.Jurisdiction;
import bridge.proto.benefits.v1.RecordChecklistRequest;
import bridge.support.calendar.PublicHolidays;
import bridge.support.consent.DataCategory;
import bridge.support.grpc.ProtoMapping;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Pre-release claim preparation over in-process gRPC, against the embedded Mongo wire server. */
@SpringBootTest(classes = {BenefitsLiaisonApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=benefits-liaison", "spring.grpc.server.inprocess.name=benefits-liaison-test",
                "bridge.mongodb.database=benefits-liaison-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimPreparationGrpcTest {

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("benefits-liaison-test").directExecutor().build();

    @Autowired
    MongoDatabase db;
    @Autowired
    FakeConsentDecisions consent;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceBlockingStub as(String token) {
        return BenefitsLiaisonServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static final String BENEFITS = TestTokens.token("dwp-leeds", "BENEFITS", "adviser", "worker");
    private static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "options-officer", "worker");
    private static final String PLATFORM = TestTokens.token("bridge-platform", "PLATFORM", "operator");
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/London"));

    private static CreateClaimPreparationRequest create(String parent, LocalDate release) {
        return CreateClaimPreparationRequest.newBuilder().setParent(parent).setClaimPreparation(ClaimPreparation.newBuilder()
                .setBenefit(Benefit.BENEFIT_UNIVERSAL_CREDIT).setReleaseDate(ProtoMapping.date(release))
                .setJurisdiction(Jurisdiction.JURISDICTION_ENGLAND_AND_WALES).setReferral("referrals/r-9")).build();
    }

    @Test
    void aPreparationIsNotReadyUntilEveryItemIsDoneAndTheAppointmentIsOnTheFirstWorkingDay() {
        String parent = "people/" + Ids.next();
        LocalDate release = TODAY.plusDays(10);
        LocalDate firstWorkingDay = PublicHolidays.firstWorkingDayAfter(bridge.support.calendar.Jurisdiction.ENGLAND_AND_WALES, release);
        ClaimPreparation created = as(BENEFITS).createClaimPreparation(create(parent, release));
        assertThat(created.getReady()).isFalse();
        assertThat(created.getFirstWorkingDayAfterRelease()).isEqualTo(ProtoMapping.date(firstWorkingDay));
        assertThat(created.getAlertsList()).containsExactly(ClaimAlert.CLAIM_ALERT_NOT_READY, ClaimAlert.CLAIM_ALERT_PAYMENT_GAP);

        Checklist done = Checklist.newBuilder().setProofOfIdentityHeld(true).setBankAccountReady(true)
                .setNationalInsuranceNumberVerified(true).setJobcentreAppointmentDate(ProtoMapping.date(firstWorkingDay))
                .setExpectedFirstPaymentDate(ProtoMapping.date(release.plusDays(7))).build();
        ClaimPreparation ready = as(BENEFITS).recordChecklist(RecordChecklistRequest.newBuilder().setName(created.getName())
                .setChecklist(done).setEtag(created.getEtag()).build());
        assertThat(ready.getReady()).isTrue();
        assertThat(ready.getAlertsList()).isEmpty();
        assertThat(as(BENEFITS).getClaimPreparation(GetClaimPreparationRequest.newBuilder().setName(created.getName()).build()))
                .isEqualTo(ready);
        assertThat(catchStatus(() -> as(BENEFITS).recordChecklist(RecordChecklistRequest.newBuilder()
                .setName(created.getName()).setChecklist(done).setEtag(created.getEtag()).build())).getStatus().getCode())
                .isEqualTo(Status.Code.ABORTED);
    }

    @Test
    void theHousingOfficerSeesItOnlyWhenConsentAllowsBenefits() {
        String personId = Ids.next();
        ClaimPreparation created = as(BENEFITS).createClaimPreparation(create("people/" + personId, TODAY.plusDays(40)));
        GetClaimPreparationRequest get = GetClaimPreparationRequest.newBuilder().setName(created.getName()).build();
        assertThat(catchStatus(() -> as(HOUSING).getClaimPreparation(get)).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        consent.grant("leeds-housing", personId, DataCategory.BENEFITS);
        assertThat(as(HOUSING).getClaimPreparation(get).getName()).isEqualTo(created.getName());
        consent.withdrawAll();
        assertThat(catchStatus(() -> as(HOUSING).getClaimPreparation(get)).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(catchStatus(() -> as(PLATFORM).getClaimPreparation(get)).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void badInputNamesTheFieldsAndWritesNothing() {
        long before = db.getCollection("claimPreparations").countDocuments();
        CreateClaimPreparationRequest past = create("people/" + Ids.next(), TODAY);
        assertThat(fields(catchStatus(() -> as(BENEFITS).createClaimPreparation(past.toBuilder().setClaimPreparation(
                past.getClaimPreparation().toBuilder().clearBenefit().clearJurisdiction()
                        .setChecklist(Checklist.newBuilder().setJobcentreAppointmentDate(ProtoMapping.date(TODAY.minusDays(1))))).build()))))
                .containsExactly("claim_preparation.benefit", "claim_preparation.release_date", "claim_preparation.jurisdiction",
                        "claim_preparation.checklist.jobcentre_appointment_date");
        assertThat(fields(catchStatus(() -> as(BENEFITS).createClaimPreparation(CreateClaimPreparationRequest.newBuilder()
                .setParent("people/").build())))).containsExactly("parent", "claim_preparation");
        assertThat(db.getCollection("claimPreparations").countDocuments()).isEqualTo(before);
    }

    @Test
    void aRetriedCreateReturnsTheSamePreparation() {
        CreateClaimPreparationRequest request = create("people/" + Ids.next(), TODAY.plusDays(3)).toBuilder().setRequestId("prep-1").build();
        assertThat(as(BENEFITS).createClaimPreparation(request)).isEqualTo(as(BENEFITS).createClaimPreparation(request));
    }
}
