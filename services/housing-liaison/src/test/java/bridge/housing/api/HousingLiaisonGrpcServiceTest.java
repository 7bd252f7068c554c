package bridge.housing.api;

import bridge.support.testing.ServiceTestBeans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.housing.HousingLiaisonApplication;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.housing.v1.CreateHousingSituationRequest;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc.HousingLiaisonServiceBlockingStub;
import bridge.proto.housing.v1.HousingSituation;
import bridge.proto.housing.v1.HousingStatus;
import bridge.proto.housing.v1.ListHousingSituationsRequest;
import bridge.proto.housing.v1.ListHousingSituationsResponse;
import bridge.support.grpc.ProtoMapping;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.TestTokens;
import com.google.rpc.BadRequest;
import com.google.type.Date;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The housing liaison service over in-process gRPC, against the embedded Mongo wire server. */
@SpringBootTest(classes = {HousingLiaisonApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=housing-liaison", "spring.grpc.server.inprocess.name=housing-liaison-test",
                "bridge.mongodb.database=housing-liaison-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HousingLiaisonGrpcServiceTest {


    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("housing-liaison-test").directExecutor().build();

    @Autowired
    MongoDatabase db;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private HousingLiaisonServiceBlockingStub as(String token) {
        return HousingLiaisonServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "options-officer", "worker");
    private static final String PROBATION = TestTokens.token("yorkshire-probation", "PROBATION", "pp-1", "worker");
    private static final String PLATFORM = TestTokens.token("bridge-platform", "PLATFORM", "operator");
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Europe/London"));

    private MongoCollection<Document> situations() {
        return db.getCollection("housingSituations");
    }

    private static String person() {
        return "people/" + Ids.next();
    }

    private static HousingSituation.Builder situation(LocalDate start) {
        return HousingSituation.newBuilder()
                .setStatus(HousingStatus.HOUSING_STATUS_NO_FIXED_ABODE)
                .setStartDate(ProtoMapping.date(start))
                .setLocalAuthority("Leeds City Council")
                .setNote("Released on a Friday with nowhere to go.");
    }

    private static CreateHousingSituationRequest create(String parent, HousingSituation.Builder s) {
        return CreateHousingSituationRequest.newBuilder().setParent(parent).setHousingSituation(s).build();
    }

    private static ListHousingSituationsRequest list(String parent) {
        return ListHousingSituationsRequest.newBuilder().setParent(parent).build();
    }

    @Test
    void recordsASituationAndListsItBack() {
        String parent = person();
        HousingSituation created = as(HOUSING).createHousingSituation(create(parent, situation(TODAY.minusDays(3))));
        assertThat(created.getName()).startsWith(parent + "/housingSituations/");
        assertThat(created.getRecordedBy().getAgency()).isEqualTo("leeds-housing");
        assertThat(created.getStartDate()).isEqualTo(ProtoMapping.date(TODAY.minusDays(3)));
        assertThat(created.getCreateTime().getNanos() % 1_000_000).isZero();

        ListHousingSituationsResponse listed = as(HOUSING).listHousingSituations(list(parent));
        assertThat(listed.getHousingSituationsList()).containsExactly(created);
        assertThat(listed.getNextPageToken()).isEmpty();
        assertThat(listed.getWithheldCategoriesList()).isEmpty();

        assertThat(db.getName()).isEqualTo("housing-liaison-test");
        String id = created.getName().substring(created.getName().lastIndexOf('/') + 1);
        Document stored = situations().find(new Document("_id", id)).first();
        assertThat(stored).isNotNull();
        assertThat(stored.getString("status")).isEqualTo("NO_FIXED_ABODE");
        assertThat(stored.getString("startDate")).isEqualTo(TODAY.minusDays(3).toString());
        assertThat(stored.getString("personId")).isEqualTo(parent.substring("people/".length()));
    }

    @Test
    void aRetriedCreateReturnsTheSameSituation() {
        String parent = person();
        CreateHousingSituationRequest request = create(parent, situation(TODAY)).toBuilder().setRequestId("housing-retry-1").build();
        HousingSituation first = as(HOUSING).createHousingSituation(request);
        long count = situations().countDocuments();
        assertThat(as(HOUSING).createHousingSituation(request)).isEqualTo(first);
        assertThat(situations().countDocuments()).isEqualTo(count);
        assertThat(as(PROBATION).createHousingSituation(request).getName()).isNotEqualTo(first.getName());
    }

    @Test
    void anotherAgencySeesNoContentOnlyThatHousingWasWithheld() {
        String parent = person();
        as(HOUSING).createHousingSituation(create(parent, situation(TODAY)));
        ListHousingSituationsResponse probation = as(PROBATION).listHousingSituations(list(parent));
        assertThat(probation.getHousingSituationsList()).isEmpty();
        assertThat(probation.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_HOUSING);
        assertThat(probation.toString()).doesNotContain("Leeds City Council").doesNotContain("leeds-housing");
        // its own record is returned, the other agency's is still withheld
        HousingSituation own = as(PROBATION).createHousingSituation(create(parent,
                situation(TODAY).setStatus(HousingStatus.HOUSING_STATUS_HOSTEL)));
        ListHousingSituationsResponse after = as(PROBATION).listHousingSituations(list(parent));
        assertThat(after.getHousingSituationsList()).containsExactly(own);
        assertThat(after.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_HOUSING);
        // nothing withheld for a person nobody else recorded
        assertThat(as(PROBATION).listHousingSituations(list(person())).getWithheldCategoriesList()).isEmpty();
    }

    @Autowired
    bridge.support.testing.FakeConsentDecisions consent;

    @Test
    void anAllowingHousingDecisionShowsOtherAgenciesRecordsUntilWithdrawn() {
        String parent = person();
        String personId = parent.substring("people/".length());
        HousingSituation theirs = as(HOUSING).createHousingSituation(create(parent, situation(TODAY)));
        consent.grant("yorkshire-probation", personId, bridge.support.consent.DataCategory.HOUSING);
        ListHousingSituationsResponse allowed = as(PROBATION).listHousingSituations(list(parent));
        assertThat(allowed.getHousingSituationsList()).containsExactly(theirs);
        assertThat(allowed.getWithheldCategoriesList()).isEmpty();
        assertThat(consent.calls()).anyMatch(c -> c.startsWith("yorkshire-probation|" + personId + "|DIRECT_SUPPORT"));
        consent.withdrawAll();
        ListHousingSituationsResponse withdrawn = as(PROBATION).listHousingSituations(list(parent));
        assertThat(withdrawn.getHousingSituationsList()).isEmpty();
        assertThat(withdrawn.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_HOUSING);
    }

    @Autowired
    bridge.support.testing.FakePersonVisibility visibility;

    @Test
    void aListAboutAPersonTheCallerMayNotSeeIsNotFoundUnlessItHoldsRecordsOfItsOwn() {
        String parent = person();
        String personId = parent.substring("people/".length());
        as(HOUSING).createHousingSituation(create(parent, situation(TODAY)));
        visibility.hide("yorkshire-probation", personId);
        assertThatThrownBy(() -> as(PROBATION).listHousingSituations(list(parent)))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND));
        // an agency that recorded something about the person still lists it
        visibility.hide("leeds-housing", personId);
        assertThat(as(HOUSING).listHousingSituations(list(parent)).getHousingSituationsList()).hasSize(1);
    }

    @Test
    void aSituationCannotBeRecordedAboutAPersonTheCallerMayNotSee() {
        String parent = person();
        String personId = parent.substring("people/".length());
        visibility.hide("yorkshire-probation", personId);
        assertThatThrownBy(() -> as(PROBATION).createHousingSituation(create(parent, situation(TODAY))))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND));
        // nothing was written: had it been, probation would now hold a record of its own and list it
        assertThatThrownBy(() -> as(PROBATION).listHousingSituations(list(parent)))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND));
    }

    static Stream<Arguments> badSituations() {
        return Stream.of(
                bad("no status", s -> s.clearStatus(), "housing_situation.status"),
                bad("no start date", s -> s.clearStartDate(), "housing_situation.start_date"),
                bad("impossible start date", s -> s.setStartDate(Date.newBuilder().setYear(2025).setMonth(2).setDay(30)),
                        "housing_situation.start_date"),
                bad("partial start date", s -> s.setStartDate(Date.newBuilder().setYear(2025).setMonth(2)),
                        "housing_situation.start_date"),
                bad("start date in the future", s -> s.setStartDate(ProtoMapping.date(TODAY.plusDays(2))),
                        "housing_situation.start_date"),
                bad("long note", s -> s.setNote("x".repeat(2001)), "housing_situation.note"),
                bad("long local authority", s -> s.setLocalAuthority("x".repeat(201)), "housing_situation.local_authority"));
    }

    private static Arguments bad(String rule, UnaryOperator<HousingSituation.Builder> change, String field) {
        return Arguments.of(rule, change, field);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badSituations")
    void badInputNamesTheFieldAndWritesNothing(String rule, UnaryOperator<HousingSituation.Builder> change, String field) {
        long before = situations().countDocuments();
        StatusRuntimeException e = catchStatus(() -> as(HOUSING).createHousingSituation(
                create(person(), change.apply(situation(TODAY)))));
        assertThat(fields(e)).containsExactly(field);
        assertThat(situations().countDocuments()).isEqualTo(before);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        long before = situations().countDocuments();
        assertThat(fields(catchStatus(() -> as(HOUSING).createHousingSituation(create("people/", situation(TODAY)
                .clearStatus().setStartDate(Date.newBuilder().setYear(2025).setMonth(13).setDay(1)).setNote("x".repeat(2001)))))))
                .containsExactly("parent", "housing_situation.start_date", "housing_situation.status", "housing_situation.note");
        assertThat(fields(catchStatus(() -> as(HOUSING).createHousingSituation(
                CreateHousingSituationRequest.newBuilder().setParent(person()).build()))))
                .containsExactly("housing_situation");
        assertThat(situations().countDocuments()).isEqualTo(before);
    }

    @Test
    void badListRequestsNameTheField() {
        assertThat(fields(catchStatus(() -> as(HOUSING).listHousingSituations(list("people/x/claims/y")))))
                .containsExactly("parent");
        assertThat(fields(catchStatus(() -> as(HOUSING).listHousingSituations(list(person()).toBuilder().setPageSize(-5).build()))))
                .containsExactly("page_size");
        assertThat(fields(catchStatus(() -> as(HOUSING).listHousingSituations(list(person()).toBuilder().setPageToken("%%%").build()))))
                .containsExactly("page_token");
    }

    @Test
    void pagesNewestFirstInAStableOrderWithoutRepeats() {
        String parent = person();
        List<HousingSituation> created = new ArrayList<>();
        for (int daysAgo : new int[] {400, 30, 400, 7, 30}) {
            created.add(as(HOUSING).createHousingSituation(create(parent, situation(TODAY.minusDays(daysAgo)))));
        }
        as(PROBATION).createHousingSituation(create(parent, situation(TODAY)));
        List<HousingSituation> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListHousingSituationsResponse page = as(HOUSING).listHousingSituations(
                    list(parent).toBuilder().setPageSize(2).setPageToken(token).build());
            assertThat(page.getHousingSituationsCount()).isLessThanOrEqualTo(2);
            assertThat(page.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_HOUSING);
            paged.addAll(page.getHousingSituationsList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        Comparator<HousingSituation> newestFirstThenId = Comparator
                .comparing((HousingSituation s) -> ProtoMapping.localDate(s.getStartDate(), "", null)).reversed()
                .thenComparing(HousingSituation::getName);
        assertThat(paged).isSortedAccordingTo(newestFirstThenId);
        assertThat(paged).isEqualTo(as(HOUSING).listHousingSituations(list(parent)).getHousingSituationsList());
        // a token from one person's list is refused on another's
        String token1 = as(HOUSING).listHousingSituations(list(parent).toBuilder().setPageSize(1).build()).getNextPageToken();
        assertThat(fields(catchStatus(() -> as(HOUSING).listHousingSituations(
                list(person()).toBuilder().setPageToken(token1).build())))).containsExactly("page_token");
    }

    @Test
    void refusesCallsWithoutTokenOrWithoutAgency() {
        var noToken = HousingLiaisonServiceGrpc.newBlockingStub(channel);
        assertThat(catchStatus(() -> noToken.listHousingSituations(list(person()))).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as("not-a-token").createHousingSituation(create(person(), situation(TODAY))))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as(TestTokens.tokenWithoutAgency("someone"))
                .createHousingSituation(create(person(), situation(TODAY)))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void platformOperatorsSeeNoPersonalData() {
        String parent = person();
        as(HOUSING).createHousingSituation(create(parent, situation(TODAY)));
        long before = situations().countDocuments();
        assertThat(catchStatus(() -> as(PLATFORM).createHousingSituation(create(parent, situation(TODAY))))
                .getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(catchStatus(() -> as(PLATFORM).listHousingSituations(list(parent))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(situations().countDocuments()).isEqualTo(before);
    }

    static StatusRuntimeException catchStatus(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    static List<String> fields(StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        try {
            return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(BadRequest.class))
                    .findFirst().orElseThrow().unpack(BadRequest.class).getFieldViolationsList().stream()
                    .map(BadRequest.FieldViolation::getField).toList();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }
}
