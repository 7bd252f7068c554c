package bridge.housing.api;

import static bridge.housing.api.HousingLiaisonGrpcServiceTest.catchStatus;
import static bridge.housing.api.HousingLiaisonGrpcServiceTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.housing.HousingLiaisonApplication;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.housing.v1.Accommodation;
import bridge.proto.housing.v1.CreateHousingSituationRequest;
import bridge.proto.housing.v1.CreateReleasePlanRequest;
import bridge.proto.housing.v1.GetReleasePlanRequest;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.proto.housing.v1.HousingSituation;
import bridge.proto.housing.v1.HousingStatus;
import bridge.proto.housing.v1.Jurisdiction;
import bridge.proto.housing.v1.ListHousingSituationsRequest;
import bridge.proto.housing.v1.ListReleaseAlertsRequest;
import bridge.proto.housing.v1.ListReleasePlansRequest;
import bridge.proto.housing.v1.ReleaseAlert;
import bridge.proto.housing.v1.ReleasePlan;
import bridge.proto.housing.v1.SecureAccommodationRequest;
import bridge.support.grpc.ProtoMapping;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import com.google.type.Date;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Release plans over in-process gRPC, against the embedded Mongo wire server. */
@SpringBootTest(classes = {HousingLiaisonApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=housing-liaison", "spring.grpc.server.inprocess.name=housing-liaison-test",
                "bridge.mongodb.database=housing-liaison-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleasePlanGrpcTest {

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("housing-liaison-test").directExecutor().build();

    @Autowired
    MongoDatabase db;
    @Autowired
    FakeConsentDecisions consent;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private HousingLiaisonServiceGrpc.HousingLiaisonServiceBlockingStub as(String token) {
        return HousingLiaisonServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static final String PRISON = TestTokens.token("hmp-leeds-test", "PRISON", "planner", "worker");
    private static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "options-officer", "worker");
    private static final String PLATFORM = TestTokens.token("bridge-platform", "PLATFORM", "operator");
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/London"));
    /** A Friday 1–3 weeks ahead that is not the day before a bank holiday (none fall on a Saturday). */
    private static final LocalDate NEXT_FRIDAY = TODAY.plusDays(7).with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));

    private static String person() {
        return "people/" + Ids.next();
    }

    private static ReleasePlan.Builder plan(LocalDate release) {
        return ReleasePlan.newBuilder().setReleaseDate(ProtoMapping.date(release)).setReleasingEstablishment("HMP Leeds")
                .setLocalAuthorityCode("E08000035").setReferral("referrals/r-123").setNote("Hostel place requested.");
    }

    private static CreateReleasePlanRequest create(String parent, ReleasePlan.Builder p) {
        return CreateReleasePlanRequest.newBuilder().setParent(parent).setReleasePlan(p).build();
    }

    private static Accommodation.Builder hostel() {
        return Accommodation.newBuilder().setType(HousingStatus.HOUSING_STATUS_HOSTEL).setSecuredBy("St George's Crypt");
    }

    @Test
    void aPlanWithoutAccommodationCloseToAFridayReleaseRaisesAlertsUntilAccommodationIsSecured() {
        String parent = person();
        ReleasePlan created = as(PRISON).createReleasePlan(create(parent, plan(NEXT_FRIDAY)));
        assertThat(created.getName()).startsWith(parent + "/releasePlans/");
        assertThat(created.getJurisdiction()).isEqualTo(Jurisdiction.JURISDICTION_ENGLAND_AND_WALES);
        assertThat(created.hasAccommodation()).isFalse();
        assertThat(created.getAlertsList()).contains(ReleaseAlert.RELEASE_ALERT_NO_ACCOMMODATION_SECURED,
                ReleaseAlert.RELEASE_ALERT_FRIDAY_RELEASE);
        assertThat(as(PRISON).listReleaseAlerts(ListReleaseAlertsRequest.getDefaultInstance()).getReleasePlansList())
                .extracting(ReleasePlan::getName).contains(created.getName());

        // the housing officer may see it under a HOUSING decision, and secures a hostel place
        String personId = parent.substring("people/".length());
        consent.grant("leeds-housing", personId, bridge.support.consent.DataCategory.HOUSING);
        ReleasePlan secured = as(HOUSING).secureAccommodation(SecureAccommodationRequest.newBuilder()
                .setName(created.getName()).setAccommodation(hostel()).setEtag(created.getEtag()).build());
        assertThat(secured.getAccommodation().getSecuredBy()).isEqualTo("St George's Crypt");
        assertThat(secured.getAccommodation().getRecordedBy().getAgency()).isEqualTo("leeds-housing");
        assertThat(secured.getAlertsList()).doesNotContain(ReleaseAlert.RELEASE_ALERT_NO_ACCOMMODATION_SECURED)
                .contains(ReleaseAlert.RELEASE_ALERT_FRIDAY_RELEASE);
        assertThat(secured.getEtag()).isNotEqualTo(created.getEtag());
        assertThat(as(PRISON).getReleasePlan(GetReleasePlanRequest.newBuilder().setName(created.getName()).build()))
                .isEqualTo(secured);
        // a stale etag is refused and changes nothing
        assertThat(catchStatus(() -> as(PRISON).secureAccommodation(SecureAccommodationRequest.newBuilder()
                .setName(created.getName()).setAccommodation(hostel().setSecuredBy("Other")).setEtag(created.getEtag()).build()))
                .getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        consent.withdrawAll();
        // withdrawn: not found, exactly like a plan that does not exist
        assertThat(catchStatus(() -> as(HOUSING).getReleasePlan(GetReleasePlanRequest.newBuilder().setName(created.getName()).build()))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        var listed = as(HOUSING).listReleasePlans(ListReleasePlansRequest.newBuilder().setParent(parent).build());
        assertThat(listed.getReleasePlansList()).isEmpty();
        assertThat(listed.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_HOUSING);
    }

    @Test
    void aRetriedCreateReturnsTheSamePlan() {
        CreateReleasePlanRequest request = create(person(), plan(TODAY.plusDays(60))).toBuilder().setRequestId("plan-1").build();
        ReleasePlan first = as(PRISON).createReleasePlan(request);
        assertThat(as(PRISON).createReleasePlan(request)).isEqualTo(first);
        assertThat(first.getAlertsList()).doesNotContain(ReleaseAlert.RELEASE_ALERT_NO_ACCOMMODATION_SECURED);
    }

    static Stream<Arguments> badPlans() {
        return Stream.of(
                Arguments.of("release date today", (UnaryOperator<ReleasePlan.Builder>) p -> p.setReleaseDate(ProtoMapping.date(TODAY)),
                        "release_plan.release_date"),
                Arguments.of("release date in the past", (UnaryOperator<ReleasePlan.Builder>) p -> p.setReleaseDate(ProtoMapping.date(TODAY.minusDays(1))),
                        "release_plan.release_date"),
                Arguments.of("no release date", (UnaryOperator<ReleasePlan.Builder>) ReleasePlan.Builder::clearReleaseDate,
                        "release_plan.release_date"),
                Arguments.of("impossible release date", (UnaryOperator<ReleasePlan.Builder>) p -> p.setReleaseDate(Date.newBuilder().setYear(2027).setMonth(2).setDay(30)),
                        "release_plan.release_date"),
                Arguments.of("bad authority code", (UnaryOperator<ReleasePlan.Builder>) p -> p.setLocalAuthorityCode("Leeds"),
                        "release_plan.local_authority_code"),
                Arguments.of("no calendar", (UnaryOperator<ReleasePlan.Builder>) p -> p.clearLocalAuthorityCode(),
                        "release_plan.jurisdiction"),
                Arguments.of("calendar contradicts authority", (UnaryOperator<ReleasePlan.Builder>) p -> p.setJurisdiction(Jurisdiction.JURISDICTION_SCOTLAND),
                        "release_plan.jurisdiction"),
                Arguments.of("bad referral", (UnaryOperator<ReleasePlan.Builder>) p -> p.setReferral("r-1"), "release_plan.referral"),
                Arguments.of("long note", (UnaryOperator<ReleasePlan.Builder>) p -> p.setNote("x".repeat(2001)), "release_plan.note"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badPlans")
    void badInputNamesTheFieldAndWritesNothing(String rule, UnaryOperator<ReleasePlan.Builder> change, String field) {
        long before = db.getCollection("releasePlans").countDocuments();
        assertThat(fields(catchStatus(() -> as(PRISON).createReleasePlan(create(person(), change.apply(plan(TODAY.plusDays(30))))))))
                .containsExactly(field);
        assertThat(db.getCollection("releasePlans").countDocuments()).isEqualTo(before);
    }

    @Test
    void aScottishPlanUsesTheScottishCalendarAndBadAccommodationIsRefused() {
        ReleasePlan scottish = as(PRISON).createReleasePlan(create(person(), plan(TODAY.plusDays(90))
                .setLocalAuthorityCode("S12000036")));
        assertThat(scottish.getJurisdiction()).isEqualTo(Jurisdiction.JURISDICTION_SCOTLAND);
        assertThat(fields(catchStatus(() -> as(PRISON).secureAccommodation(SecureAccommodationRequest.newBuilder()
                .setName(scottish.getName()).setAccommodation(Accommodation.newBuilder()
                        .setType(HousingStatus.HOUSING_STATUS_ROUGH_SLEEPING)).build()))))
                .containsExactly("accommodation.type", "accommodation.secured_by");
        assertThat(fields(catchStatus(() -> as(PRISON).secureAccommodation(SecureAccommodationRequest.newBuilder()
                .setName(scottish.getName()).setAccommodation(hostel()).setEtag("x").build()))))
                .containsExactly("etag");
        assertThat(catchStatus(() -> as(PLATFORM).getReleasePlan(GetReleasePlanRequest.newBuilder()
                .setName(scottish.getName()).build())).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void aTenancyIsFlaggedAtRiskDuringARehabStay() {
        String parent = person();
        for (var s : new Object[][] {{HousingStatus.HOUSING_STATUS_SETTLED_TENANCY, 200}, {HousingStatus.HOUSING_STATUS_IN_RESIDENTIAL_REHAB, 10}}) {
            as(HOUSING).createHousingSituation(CreateHousingSituationRequest.newBuilder().setParent(parent)
                    .setHousingSituation(HousingSituation.newBuilder().setStatus((HousingStatus) s[0])
                            .setStartDate(ProtoMapping.date(TODAY.minusDays((Integer) s[1])))).build());
        }
        assertThat(as(HOUSING).listHousingSituations(ListHousingSituationsRequest.newBuilder().setParent(parent).build())
                .getTenancyAtRisk()).isTrue();
        // back home: no longer at risk
        as(HOUSING).createHousingSituation(CreateHousingSituationRequest.newBuilder().setParent(parent)
                .setHousingSituation(HousingSituation.newBuilder().setStatus(HousingStatus.HOUSING_STATUS_SETTLED_TENANCY)
                        .setStartDate(ProtoMapping.date(TODAY))).build());
        assertThat(as(HOUSING).listHousingSituations(ListHousingSituationsRequest.newBuilder().setParent(parent).build())
                .getTenancyAtRisk()).isFalse();
    }
}
