package bridge.referrals.api;

import bridge.support.testing.ServiceTestBeans;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.AgencyType;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.referrals.v1.CreateReferralRequest;
import bridge.proto.referrals.v1.GetReferralRequest;
import bridge.proto.referrals.v1.ListReferralsRequest;
import bridge.proto.referrals.v1.ListReferralsResponse;
import bridge.proto.referrals.v1.Pathway;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import bridge.proto.referrals.v1.ReferralServiceGrpc.ReferralServiceBlockingStub;
import bridge.proto.referrals.v1.ReferralStatus;
import bridge.referrals.ReferralsApplication;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.TestTokens;
import com.google.rpc.BadRequest;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
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

/** The referral service over in-process gRPC, against the embedded Mongo wire server. */
@SpringBootTest(classes = {ReferralsApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=referrals", "spring.grpc.server.inprocess.name=referrals-test",
                "bridge.mongodb.database=referrals-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferralGrpcServiceTest {


    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("referrals-test").directExecutor().build();

    @Autowired
    MongoDatabase db;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private ReferralServiceBlockingStub as(String token) {
        return ReferralServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static final String POLICE = TestTokens.token("met-police", "POLICE", "officer-7", "worker");
    private static final String TREATMENT = TestTokens.token("forward-leeds", "TREATMENT", "keyworker-1", "worker");
    private static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "officer", "worker");
    private static final String PLATFORM = TestTokens.token("bridge-platform", "PLATFORM", "operator");

    private MongoCollection<Document> referrals() {
        return db.getCollection("referrals");
    }

    private static Referral.Builder referral() {
        return Referral.newBuilder()
                .setPerson("people/" + Ids.next())
                .setPathway(Pathway.PATHWAY_DRUG_TEST_ON_ARREST)
                .setPerformerAgency("forward-leeds")
                .setReason("Positive test for opiates on arrest; agreed to an assessment.")
                .setDrugTestOnArrest(ProtoFixtures.drugTest());
    }

    private static CreateReferralRequest create(Referral.Builder r) {
        return CreateReferralRequest.newBuilder().setReferral(r).build();
    }

    private static GetReferralRequest get(String name) {
        return GetReferralRequest.newBuilder().setName(name).build();
    }

    @Test
    void sendsAReferralThatBothEndsCanRead() {
        Referral.Builder sent = referral();
        Referral created = as(POLICE).createReferral(create(sent));
        assertThat(created.getName()).startsWith("referrals/");
        assertThat(created.getPerson()).isEqualTo(sent.getPerson());
        assertThat(created.getStatus()).isEqualTo(ReferralStatus.REFERRAL_STATUS_REQUESTED);
        assertThat(created.getRequester().getAgency()).isEqualTo("met-police");
        assertThat(created.getRequester().getSubject()).isEqualTo("officer-7");
        assertThat(created.getRequester().getAgencyType()).isEqualTo(AgencyType.AGENCY_TYPE_POLICE);
        assertThat(created.getEtag()).isEqualTo("W/\"1\"");
        assertThat(created.getUpdateTime()).isEqualTo(created.getCreateTime());

        assertThat(as(POLICE).getReferral(get(created.getName()))).isEqualTo(created);
        // the receiver: the envelope only, until the person's consent lets it have what the pathway shares
        Referral envelope = as(TREATMENT).getReferral(get(created.getName()));
        assertThat(envelope.getReason()).isEmpty();
        assertThat(envelope.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_SUBSTANCE_USE,
                DataCategory.DATA_CATEGORY_JUSTICE, DataCategory.DATA_CATEGORY_REFERRALS);
        assertThat(envelope.hasDrugTestOnArrest()).isFalse();
        assertThat(envelope.toBuilder().clearWithheldCategories().setReason(created.getReason())
                .setDrugTestOnArrest(created.getDrugTestOnArrest()).build()).isEqualTo(created);
        assertThat(created.getDrugTestOnArrest()).isEqualTo(ProtoFixtures.drugTest());
        String personId = created.getPerson().substring("people/".length());
        consent.grant("forward-leeds", personId, bridge.support.consent.DataCategory.REFERRALS,
                bridge.support.consent.DataCategory.SUBSTANCE_USE, bridge.support.consent.DataCategory.JUSTICE);
        assertThat(as(TREATMENT).getReferral(get(created.getName()))).isEqualTo(created);
        assertThat(consent.calls()).last().isEqualTo("forward-leeds|" + personId + "|REFERRAL|[SUBSTANCE_USE, JUSTICE, REFERRALS]");

        assertThat(db.getName()).isEqualTo("referrals-test");
        Document stored = referrals().find(new Document("_id", created.getName().substring("referrals/".length()))).first();
        assertThat(stored).isNotNull();
        assertThat(stored.getString("status")).isEqualTo("REQUESTED");
        assertThat(stored.getString("performerAgency")).isEqualTo("forward-leeds");
        assertThat(stored.get("requester", Document.class).getString("agency")).isEqualTo("met-police");
    }

    @Test
    void aRetriedCreateReturnsTheSameReferral() {
        CreateReferralRequest request = create(referral()).toBuilder().setRequestId("referral-retry-1").build();
        Referral first = as(POLICE).createReferral(request);
        long count = referrals().countDocuments();
        assertThat(as(POLICE).createReferral(request)).isEqualTo(first);
        assertThat(referrals().countDocuments()).isEqualTo(count);
        // the same key from another agency is another request
        Referral other = as(HOUSING).createReferral(request);
        assertThat(other.getName()).isNotEqualTo(first.getName());
    }

    @Test
    void anyOtherAgencyIsToldNotFoundExactlyAsForAMissingReferral() {
        Referral created = as(POLICE).createReferral(create(referral()));
        StatusRuntimeException hidden = catchStatus(() -> as(HOUSING).getReferral(get(created.getName())));
        String missingName = "referrals/" + Ids.next();
        StatusRuntimeException missing = catchStatus(() -> as(HOUSING).getReferral(get(missingName)));
        assertThat(hidden.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(hidden.getStatus().getDescription().replace(created.getName(), "X"))
                .isEqualTo(missing.getStatus().getDescription().replace(missingName, "X"));
        assertThat(hidden.getStatus().getDescription()).doesNotContain("met-police").doesNotContain("forward-leeds");
    }

    @Autowired
    FakeConsentDecisions consent;

    @Test
    void anAgencyManagesItsWebhookSubscriptionsAndSeesTheSecretOnce() {
        var request = bridge.proto.referrals.v1.CreateWebhookSubscriptionRequest.newBuilder()
                .setWebhookSubscription(bridge.proto.referrals.v1.WebhookSubscription.newBuilder()
                        .setUrl("https://integrator.forward-leeds.example/bridge")
                        .addEvents(bridge.proto.referrals.v1.WebhookEvent.WEBHOOK_EVENT_STATE_CHANGED)
                        .addEvents(bridge.proto.referrals.v1.WebhookEvent.WEBHOOK_EVENT_OVERDUE))
                .setRequestId("subscribe-1").build();
        var created = as(TREATMENT).createWebhookSubscription(request);
        assertThat(created.getName()).startsWith("webhookSubscriptions/");
        assertThat(created.getSecret()).matches("[0-9a-f]{64}");
        assertThat(created.getAgency()).isEqualTo("forward-leeds");
        assertThat(as(TREATMENT).createWebhookSubscription(request)).as("a retry returns the same").isEqualTo(created);
        var listed = as(TREATMENT).listWebhookSubscriptions(
                bridge.proto.referrals.v1.ListWebhookSubscriptionsRequest.getDefaultInstance());
        assertThat(listed.getWebhookSubscriptionsList()).extracting(bridge.proto.referrals.v1.WebhookSubscription::getName)
                .contains(created.getName());
        assertThat(listed.getWebhookSubscriptionsList()).allSatisfy(w -> assertThat(w.getSecret()).isEmpty());
        assertThat(as(POLICE).listWebhookSubscriptions(bridge.proto.referrals.v1.ListWebhookSubscriptionsRequest
                .getDefaultInstance()).getWebhookSubscriptionsList()).extracting(w -> w.getName()).doesNotContain(created.getName());
        assertThat(catchStatus(() -> as(POLICE).deleteWebhookSubscription(bridge.proto.referrals.v1.DeleteWebhookSubscriptionRequest
                .newBuilder().setName(created.getName()).build())).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(fields(catchStatus(() -> as(TREATMENT).createWebhookSubscription(
                bridge.proto.referrals.v1.CreateWebhookSubscriptionRequest.newBuilder().setWebhookSubscription(
                        bridge.proto.referrals.v1.WebhookSubscription.newBuilder().setUrl("http://integrator.example/hook")
                                .addEventsValue(0)).build()))))
                .containsExactly("webhook_subscription.events[0]", "webhook_subscription.url", "webhook_subscription.events");
        as(TREATMENT).deleteWebhookSubscription(bridge.proto.referrals.v1.DeleteWebhookSubscriptionRequest.newBuilder()
                .setName(created.getName()).build());
        assertThat(as(TREATMENT).listWebhookSubscriptions(bridge.proto.referrals.v1.ListWebhookSubscriptionsRequest
                .getDefaultInstance()).getWebhookSubscriptionsList()).extracting(w -> w.getName()).doesNotContain(created.getName());
    }

    @Test
    void commissionersReadAggregateMetricsOthersAreRefused() {
        String commissioner = TestTokens.token("bridge-platform", "PLATFORM", "commissioner-1", "commissioner");
        Referral sent = as(POLICE).createReferral(create(referral().setPerformerAgency("metrics-team")));
        String month = java.time.YearMonth.now(java.time.ZoneId.of("Europe/London")).toString();
        bridge.proto.referrals.v1.ReferralMetrics m = as(commissioner).getReferralMetrics(
                bridge.proto.referrals.v1.GetReferralMetricsRequest.newBuilder().setStartMonth(month).setEndMonth(month)
                        .setPerformerAgency("metrics-team").build());
        assertThat(m.getPickUpTarget()).isEqualTo(0.75);
        assertThat(m.getRowsList()).singleElement().satisfies(row -> {
            assertThat(row.getMonth()).isEqualTo(month);
            assertThat(row.getSent()).isEqualTo(1);
            assertThat(row.getPathway()).isEqualTo(sent.getPathway());
            assertThat(row.hasAcceptanceRate()).isFalse();
        });
        assertThat(m.toString()).doesNotContain(sent.getName()).doesNotContain(sent.getPerson());
        assertThat(catchStatus(() -> as(TREATMENT).getReferralMetrics(bridge.proto.referrals.v1.GetReferralMetricsRequest
                .newBuilder().setStartMonth(month).setEndMonth(month).build())).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(fields(catchStatus(() -> as(commissioner).getReferralMetrics(bridge.proto.referrals.v1.GetReferralMetricsRequest
                .newBuilder().setStartMonth("2026-13").build())))).containsExactly("start_month", "end_month");
    }

    private static java.util.List<String> names(ListReferralsResponse response) {
        return response.getReferralsList().stream().map(Referral::getName).toList();
    }

    private static ListReferralsRequest list(String parent) {
        return ListReferralsRequest.newBuilder().setParent(parent).build();
    }

    private static Referral.Builder about(String parent, String performer) {
        return referral().setPerson(parent).setPerformerAgency(performer);
    }

    @Test
    void listsReferralsTheCallerSentOrReceivedAndSaysTheRestWereWithheld() {
        String parent = "people/" + Ids.next();
        Referral sent = as(POLICE).createReferral(create(about(parent, "forward-leeds")));
        Referral received = as(HOUSING).createReferral(create(about(parent, "met-police")));
        Referral between = as(HOUSING).createReferral(create(about(parent, "forward-leeds")
                .setReason("Needs a tenancy sustainment worker")));
        as(POLICE).createReferral(create(referral()));

        ListReferralsResponse police = as(POLICE).listReferrals(list(parent));
        assertThat(names(police)).containsExactlyInAnyOrder(sent.getName(), received.getName());
        assertThat(police.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_REFERRALS);
        assertThat(police.getNextPageToken()).isEmpty();
        assertThat(police.toString()).doesNotContain("tenancy sustainment");

        ListReferralsResponse treatment = as(TREATMENT).listReferrals(list(parent));
        assertThat(names(treatment)).containsExactlyInAnyOrder(sent.getName(), between.getName());
        assertThat(treatment.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_REFERRALS);
        // nothing withheld about a person with no referrals, and no decision asked
        int asked = consent.calls().size();
        ListReferralsResponse nobody = as(HOUSING).listReferrals(list("people/" + Ids.next()));
        assertThat(nobody.getReferralsList()).isEmpty();
        assertThat(nobody.getWithheldCategoriesList()).isEmpty();
        assertThat(consent.calls()).hasSize(asked);
    }

    @Test
    void anAllowingReferralsDecisionShowsTheRestUntilWithdrawn() {
        String parent = "people/" + Ids.next();
        String personId = parent.substring("people/".length());
        Referral own = as(POLICE).createReferral(create(about(parent, "forward-leeds")));
        Referral between = as(HOUSING).createReferral(create(about(parent, "forward-leeds")));
        consent.grant("met-police", personId, bridge.support.consent.DataCategory.REFERRALS);
        try {
            ListReferralsResponse allowed = as(POLICE).listReferrals(list(parent).toBuilder()
                    .setPurpose(Purpose.PURPOSE_RISK_MANAGEMENT).build());
            assertThat(names(allowed)).containsExactlyInAnyOrder(own.getName(), between.getName());
            assertThat(allowed.getWithheldCategoriesList()).isEmpty();
            assertThat(consent.calls()).last().asString().startsWith("met-police|" + personId + "|RISK_MANAGEMENT|[");
            // REFERRALS alone shows that the referral exists, not the health and justice data it carries
            Referral seen = allowed.getReferralsList().stream().filter(r -> r.getName().equals(between.getName()))
                    .findFirst().orElseThrow();
            assertThat(seen.getReason()).isEmpty();
            assertThat(seen.getWithheldCategoriesList()).contains(DataCategory.DATA_CATEGORY_SUBSTANCE_USE);
        } finally {
            consent.withdrawAll();
        }
        ListReferralsResponse withdrawn = as(POLICE).listReferrals(list(parent));
        assertThat(withdrawn.getReferralsList()).containsExactly(own);
        assertThat(withdrawn.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_REFERRALS);
    }

    @Test
    void pagesNewestFirstInAStableOrderWithoutRepeats() {
        String parent = "people/" + Ids.next();
        Instant base = Instant.parse("2026-02-01T09:00:00.000Z");
        List<String> sent = new ArrayList<>();
        // creation times with ties, so that the order within one instant (by name) is exercised too
        for (int minute : new int[] {4, 1, 4, 7, 1}) {
            Referral r = as(POLICE).createReferral(create(about(parent, "forward-leeds")));
            referrals().updateOne(new Document("_id", r.getName().substring("referrals/".length())),
                    new Document("$set", new Document("createdAt", Date.from(base.plusSeconds(60L * minute)))));
            sent.add(r.getName());
        }
        as(HOUSING).createReferral(create(about(parent, "forward-leeds")));
        List<Referral> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListReferralsResponse page = as(POLICE).listReferrals(list(parent).toBuilder().setPageSize(2).setPageToken(token).build());
            assertThat(page.getReferralsCount()).isLessThanOrEqualTo(2);
            assertThat(page.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_REFERRALS);
            paged.addAll(page.getReferralsList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        Comparator<Referral> newestFirstThenName = Comparator
                .comparing((Referral r) -> r.getCreateTime().getSeconds() * 1_000_000_000L + r.getCreateTime().getNanos())
                .reversed().thenComparing(Referral::getName);
        assertThat(paged.stream().map(Referral::getName).toList()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sent);
        assertThat(paged).isSortedAccordingTo(newestFirstThenName)
                .isEqualTo(as(POLICE).listReferrals(list(parent)).getReferralsList());
        assertThat(paged.getFirst().getCreateTime().getSeconds()).isEqualTo(base.plusSeconds(7 * 60).getEpochSecond());
        String token1 = as(POLICE).listReferrals(list(parent).toBuilder().setPageSize(1).build()).getNextPageToken();
        assertThat(fields(catchStatus(() -> as(POLICE).listReferrals(list("people/" + Ids.next()).toBuilder()
                .setPageToken(token1).build())))).containsExactly("page_token");
    }

    @Test
    void badListRequestsNameTheField() {
        assertThat(fields(catchStatus(() -> as(POLICE).listReferrals(list("referrals/" + Ids.next())))))
                .containsExactly("parent");
        assertThat(fields(catchStatus(() -> as(POLICE).listReferrals(list("people/" + Ids.next()).toBuilder()
                .setPageSize(-3).build())))).containsExactly("page_size");
        assertThat(fields(catchStatus(() -> as(POLICE).listReferrals(list("people/" + Ids.next()).toBuilder()
                .setPageToken("%%%").build())))).containsExactly("page_token");
        assertThat(fields(catchStatus(() -> as(POLICE).listReferrals(list("people/x").toBuilder()
                .setPageSize(-3).build())))).containsExactly("parent", "page_size");
    }

    @Test
    void listingNeedsATokenAndPlatformOperatorsSeeNothing() {
        assertThat(catchStatus(() -> ReferralServiceGrpc.newBlockingStub(channel).listReferrals(list("people/" + Ids.next())))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as(PLATFORM).listReferrals(list("people/" + Ids.next()))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    static Stream<Arguments> badReferrals() {
        return Stream.of(
                bad("no person", r -> r.clearPerson(), "referral.person"),
                bad("person not a person name", r -> r.setPerson("referrals/" + Ids.next()), "referral.person"),
                bad("no pathway", r -> r.clearPathway(), "referral.pathway"),
                bad("no performer", r -> r.clearPerformerAgency(), "referral.performer_agency"),
                bad("blank performer", r -> r.setPerformerAgency("   "), "referral.performer_agency"),
                bad("referral to oneself", r -> r.setPerformerAgency("met-police"), "referral.performer_agency"),
                bad("long reason", r -> r.setReason("x".repeat(2001)), "referral.reason"));
    }

    private static Arguments bad(String rule, UnaryOperator<Referral.Builder> change, String field) {
        return Arguments.of(rule, change, field);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badReferrals")
    void badInputNamesTheFieldAndWritesNothing(String rule, UnaryOperator<Referral.Builder> change, String field) {
        long before = referrals().countDocuments();
        StatusRuntimeException e = catchStatus(() -> as(POLICE).createReferral(create(change.apply(referral()))));
        assertThat(fields(e)).containsExactly(field);
        assertThat(referrals().countDocuments()).isEqualTo(before);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        long before = referrals().countDocuments();
        assertThat(fields(catchStatus(() -> as(POLICE).createReferral(create(
                referral().setPerson("people/nope").clearPathway().setPerformerAgency("met-police"))))))
                .containsExactly("referral.person", "referral.pathway", "referral.performer_agency");
        assertThat(fields(catchStatus(() -> as(POLICE).createReferral(CreateReferralRequest.getDefaultInstance()))))
                .containsExactly("referral");
        assertThat(fields(catchStatus(() -> as(POLICE).getReferral(get("people/" + Ids.next()))))).containsExactly("name");
        assertThat(referrals().countDocuments()).isEqualTo(before);
    }

    @Test
    void refusesCallsWithoutTokenOrWithoutAgency() {
        var noToken = ReferralServiceGrpc.newBlockingStub(channel);
        assertThat(catchStatus(() -> noToken.getReferral(get("referrals/" + Ids.next()))).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as("not-a-token").createReferral(create(referral()))).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as(TestTokens.tokenWithoutAgency("someone")).createReferral(create(referral())))
                .getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void platformOperatorsSeeNoPersonalData() {
        Referral created = as(POLICE).createReferral(create(referral()));
        long before = referrals().countDocuments();
        assertThat(catchStatus(() -> as(PLATFORM).createReferral(create(referral()))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(catchStatus(() -> as(PLATFORM).getReferral(get(created.getName()))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(referrals().countDocuments()).isEqualTo(before);
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
