package bridge.benefits.api;

import bridge.support.testing.ServiceTestBeans;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.benefits.BenefitsLiaisonApplication;
import bridge.proto.benefits.v1.Benefit;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceBlockingStub;
import bridge.proto.benefits.v1.Claim;
import bridge.proto.benefits.v1.ClaimStatus;
import bridge.proto.benefits.v1.ClaimStatusChange;
import bridge.proto.benefits.v1.RecordClaimStatusRequest;
import bridge.proto.benefits.v1.CreateClaimRequest;
import bridge.proto.benefits.v1.GetClaimRequest;
import bridge.proto.benefits.v1.ListClaimsRequest;
import bridge.proto.benefits.v1.ListClaimsResponse;
import bridge.proto.common.v1.AgencyType;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.TestTokens;
import com.google.rpc.BadRequest;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The benefits liaison service over in-process gRPC, against the embedded Mongo wire server. */
@SpringBootTest(classes = {BenefitsLiaisonApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=benefits-liaison", "spring.grpc.server.inprocess.name=benefits-liaison-test",
                "bridge.mongodb.database=benefits-liaison-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenefitsLiaisonGrpcServiceTest {


    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("benefits-liaison-test").directExecutor().build();

    @Autowired
    MongoDatabase db;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private BenefitsLiaisonServiceBlockingStub as(String token) {
        return BenefitsLiaisonServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");
    private static final String BENEFITS = TestTokens.token("leeds-welfare-rights", "BENEFITS", "adviser", "worker");
    private static final String PLATFORM = TestTokens.token("bridge-platform", "PLATFORM", "operator");

    private MongoCollection<Document> claims() {
        return db.getCollection("claims");
    }

    private static String person() {
        return "people/" + Ids.next();
    }

    private static CreateClaimRequest create(String parent, Benefit benefit) {
        return CreateClaimRequest.newBuilder().setParent(parent)
                .setClaim(Claim.newBuilder().setBenefit(benefit)).build();
    }

    private static GetClaimRequest get(String name) {
        return GetClaimRequest.newBuilder().setName(name).build();
    }

    @Test
    void opensAClaimAndReadsItBack() {
        String parent = person();
        Claim created = as(PRISON).createClaim(create(parent, Benefit.BENEFIT_UNIVERSAL_CREDIT));
        assertThat(created.getName()).startsWith(parent + "/claims/");
        assertThat(created.getBenefit()).isEqualTo(Benefit.BENEFIT_UNIVERSAL_CREDIT);
        assertThat(created.getStatus()).isEqualTo(ClaimStatus.CLAIM_STATUS_PREPARING);
        assertThat(created.getRecordedBy().getAgency()).isEqualTo("hmp-leeds");
        assertThat(created.getRecordedBy().getAgencyType()).isEqualTo(AgencyType.AGENCY_TYPE_PRISON);
        assertThat(created.getEtag()).isEqualTo("W/\"1\"");
        assertThat(created.getCreateTime().getNanos() % 1_000_000).isZero();

        assertThat(as(PRISON).getClaim(get(created.getName()))).isEqualTo(created);

        assertThat(db.getName()).isEqualTo("benefits-liaison-test");
        String id = created.getName().substring(created.getName().lastIndexOf('/') + 1);
        Document stored = claims().find(new Document("_id", id)).first();
        assertThat(stored).isNotNull();
        assertThat(stored.getString("benefit")).isEqualTo("UNIVERSAL_CREDIT");
        assertThat(stored.getString("status")).isEqualTo("PREPARING");
        assertThat(stored.getString("personId")).isEqualTo(parent.substring("people/".length()));
    }

    private static RecordClaimStatusRequest record(String name, ClaimStatus status, String etag) {
        return RecordClaimStatusRequest.newBuilder().setName(name).setStatus(status).setNote("heard from the Jobcentre")
                .setEtag(etag).build();
    }

    @Test
    void recordsStatusChangesInATimestampedAttributedHistory() {
        String parent = person();
        Claim created = as(BENEFITS).createClaim(create(parent, Benefit.BENEFIT_EMPLOYMENT_AND_SUPPORT_ALLOWANCE));
        assertThat(created.getHistoryList()).hasSize(1);
        assertThat(created.getHistory(0).getStatus()).isEqualTo(ClaimStatus.CLAIM_STATUS_PREPARING);
        assertThat(created.getHistory(0).getChangedBy()).isEqualTo(created.getRecordedBy());
        assertThat(created.getHistory(0).getTime()).isEqualTo(created.getCreateTime());

        Claim submitted = as(BENEFITS).recordClaimStatus(record(created.getName(), ClaimStatus.CLAIM_STATUS_SUBMITTED, created.getEtag()));
        assertThat(submitted.getStatus()).isEqualTo(ClaimStatus.CLAIM_STATUS_SUBMITTED);
        assertThat(submitted.getEtag()).isEqualTo("W/\"2\"");
        assertThat(submitted.getHistoryList()).extracting(ClaimStatusChange::getStatus)
                .containsExactly(ClaimStatus.CLAIM_STATUS_PREPARING, ClaimStatus.CLAIM_STATUS_SUBMITTED);
        ClaimStatusChange last = submitted.getHistory(1);
        assertThat(last.getNote()).isEqualTo("heard from the Jobcentre");
        assertThat(last.getChangedBy().getAgency()).isEqualTo("leeds-welfare-rights");
        assertThat(last.getTime()).isEqualTo(submitted.getUpdateTime());
        assertThat(as(BENEFITS).getClaim(get(created.getName()))).isEqualTo(submitted);

        // a stale etag, a move the status does not allow: refused, nothing written
        assertThat(catchStatus(() -> as(BENEFITS).recordClaimStatus(record(created.getName(), ClaimStatus.CLAIM_STATUS_AWARDED,
                created.getEtag()))).getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(catchStatus(() -> as(BENEFITS).recordClaimStatus(record(created.getName(), ClaimStatus.CLAIM_STATUS_PREPARING,
                ""))).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        // another agency without consent cannot tell it exists
        assertThat(catchStatus(() -> as(PRISON).recordClaimStatus(record(created.getName(), ClaimStatus.CLAIM_STATUS_AWARDED,
                ""))).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(fields(catchStatus(() -> as(BENEFITS).recordClaimStatus(RecordClaimStatusRequest.newBuilder()
                .setName("people/x").setEtag("nope").build())))).containsExactly("name", "etag", "status");
        assertThat(as(BENEFITS).getClaim(get(created.getName()))).isEqualTo(submitted);
        String id = created.getName().substring(created.getName().lastIndexOf('/') + 1);
        assertThat(claims().find(new Document("_id", id)).first().getList("history", Document.class)).hasSize(2);
    }

    @Test
    void aRetriedCreateReturnsTheSameClaim() {
        CreateClaimRequest request = create(person(), Benefit.BENEFIT_PERSONAL_INDEPENDENCE_PAYMENT).toBuilder()
                .setRequestId("claim-retry-1").build();
        Claim first = as(PRISON).createClaim(request);
        long count = claims().countDocuments();
        assertThat(as(PRISON).createClaim(request)).isEqualTo(first);
        assertThat(claims().countDocuments()).isEqualTo(count);
        assertThat(as(BENEFITS).createClaim(request).getName()).isNotEqualTo(first.getName());
    }

    @Test
    void anyOtherAgencyIsToldNotFoundExactlyAsForAMissingClaim() {
        String parent = person();
        Claim created = as(PRISON).createClaim(create(parent, Benefit.BENEFIT_UNIVERSAL_CREDIT));
        StatusRuntimeException hidden = catchStatus(() -> as(BENEFITS).getClaim(get(created.getName())));
        String missingName = parent + "/claims/" + Ids.next();
        StatusRuntimeException missing = catchStatus(() -> as(BENEFITS).getClaim(get(missingName)));
        assertThat(hidden.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(hidden.getStatus().getDescription().replace(created.getName(), "X"))
                .isEqualTo(missing.getStatus().getDescription().replace(missingName, "X"));
        // nor is it found under another person's name
        String elsewhere = person() + "/claims/" + created.getName().substring(created.getName().lastIndexOf('/') + 1);
        assertThat(catchStatus(() -> as(PRISON).getClaim(get(elsewhere))).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Autowired
    FakeConsentDecisions consent;

    private static ListClaimsRequest list(String parent) {
        return ListClaimsRequest.newBuilder().setParent(parent).build();
    }

    @Test
    void listsOwnClaimsAndSaysBenefitsWereWithheldWithoutContent() {
        String parent = person();
        Claim first = as(PRISON).createClaim(create(parent, Benefit.BENEFIT_UNIVERSAL_CREDIT));
        Claim second = as(PRISON).createClaim(create(parent, Benefit.BENEFIT_HOUSING_COSTS));
        as(BENEFITS).createClaim(create(parent, Benefit.BENEFIT_PERSONAL_INDEPENDENCE_PAYMENT));

        ListClaimsResponse prison = as(PRISON).listClaims(list(parent));
        assertThat(prison.getClaimsList()).containsExactlyInAnyOrder(first, second);
        assertThat(prison.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_BENEFITS);
        assertThat(prison.getNextPageToken()).isEmpty();
        assertThat(prison.toString()).doesNotContain("PERSONAL_INDEPENDENCE").doesNotContain("leeds-welfare-rights");
        // nothing withheld where nobody else opened a claim; no decision needed either
        int asked = consent.calls().size();
        ListClaimsResponse other = as(PRISON).listClaims(list(person()));
        assertThat(other.getClaimsList()).isEmpty();
        assertThat(other.getWithheldCategoriesList()).isEmpty();
        assertThat(consent.calls()).hasSize(asked);
    }

    @Test
    void anAllowingBenefitsDecisionShowsOtherAgenciesClaimsUntilWithdrawn() {
        String parent = person();
        String personId = parent.substring("people/".length());
        Claim theirs = as(BENEFITS).createClaim(create(parent, Benefit.BENEFIT_UNIVERSAL_CREDIT));
        Claim own = as(PRISON).createClaim(create(parent, Benefit.BENEFIT_HOUSING_COSTS));
        consent.grant("hmp-leeds", personId, bridge.support.consent.DataCategory.BENEFITS);
        try {
            ListClaimsResponse allowed = as(PRISON).listClaims(list(parent).toBuilder()
                    .setPurpose(Purpose.PURPOSE_REFERRAL).build());
            assertThat(allowed.getClaimsList()).containsExactlyInAnyOrder(theirs, own);
            assertThat(allowed.getWithheldCategoriesList()).isEmpty();
            assertThat(consent.calls()).last().isEqualTo("hmp-leeds|" + personId + "|REFERRAL|[BENEFITS]");
        } finally {
            consent.withdrawAll();
        }
        ListClaimsResponse withdrawn = as(PRISON).listClaims(list(parent));
        assertThat(withdrawn.getClaimsList()).containsExactly(own);
        assertThat(withdrawn.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_BENEFITS);
        assertThat(consent.calls()).last().isEqualTo("hmp-leeds|" + personId + "|DIRECT_SUPPORT|[BENEFITS]");
    }

    @Test
    void pagesNewestFirstInAStableOrderWithoutRepeats() {
        String parent = person();
        List<String> created = new ArrayList<>();
        java.time.Instant base = java.time.Instant.parse("2026-02-01T09:00:00.000Z");
        // creation times with ties, so that the order within one instant (by name) is exercised too
        int[] minutes = {4, 1, 4, 7, 1};
        for (int minute : minutes) {
            Claim c = as(PRISON).createClaim(create(parent, Benefit.BENEFIT_UNIVERSAL_CREDIT));
            claims().updateOne(new Document("_id", c.getName().substring(c.getName().lastIndexOf('/') + 1)),
                    new Document("$set", new Document("createdAt", java.util.Date.from(base.plusSeconds(60L * minute)))));
            created.add(c.getName());
        }
        as(BENEFITS).createClaim(create(parent, Benefit.BENEFIT_HOUSING_COSTS));
        List<Claim> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListClaimsResponse page = as(PRISON).listClaims(list(parent).toBuilder().setPageSize(2).setPageToken(token).build());
            assertThat(page.getClaimsCount()).isLessThanOrEqualTo(2);
            assertThat(page.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_BENEFITS);
            paged.addAll(page.getClaimsList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        Comparator<Claim> newestFirstThenName = Comparator
                .comparing((Claim c) -> c.getCreateTime().getSeconds() * 1_000_000_000L + c.getCreateTime().getNanos())
                .reversed().thenComparing(Claim::getName);
        assertThat(paged.stream().map(Claim::getName).toList()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(created);
        assertThat(paged).isSortedAccordingTo(newestFirstThenName)
                .isEqualTo(as(PRISON).listClaims(list(parent)).getClaimsList());
        assertThat(paged.getFirst().getCreateTime().getSeconds()).isEqualTo(base.plusSeconds(7 * 60).getEpochSecond());
        String token1 = as(PRISON).listClaims(list(parent).toBuilder().setPageSize(1).build()).getNextPageToken();
        assertThat(token1).isNotEmpty();
        assertThat(fields(catchStatus(() -> as(PRISON).listClaims(list(person()).toBuilder().setPageToken(token1).build()))))
                .containsExactly("page_token");
    }

    @Test
    void badListRequestsNameTheField() {
        assertThat(fields(catchStatus(() -> as(PRISON).listClaims(list("people/x/claims/y"))))).containsExactly("parent");
        assertThat(fields(catchStatus(() -> as(PRISON).listClaims(list(person()).toBuilder().setPageSize(-1).build()))))
                .containsExactly("page_size");
        assertThat(fields(catchStatus(() -> as(PRISON).listClaims(list(person()).toBuilder().setPageToken("%%%").build()))))
                .containsExactly("page_token");
        assertThat(fields(catchStatus(() -> as(PRISON).listClaims(list("").toBuilder().setPageSize(-1).build()))))
                .containsExactly("parent", "page_size");
    }

    @Test
    void listingNeedsATokenAndPlatformOperatorsSeeNothing() {
        assertThat(catchStatus(() -> BenefitsLiaisonServiceGrpc.newBlockingStub(channel).listClaims(list(person())))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as(PLATFORM).listClaims(list(person()))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void badInputNamesTheFieldAndWritesNothing() {
        long before = claims().countDocuments();
        assertThat(fields(catchStatus(() -> as(PRISON).createClaim(create(person(), Benefit.BENEFIT_UNSPECIFIED)))))
                .containsExactly("claim.benefit");
        assertThat(fields(catchStatus(() -> as(PRISON).createClaim(CreateClaimRequest.newBuilder().setParent(person()).build()))))
                .containsExactly("claim");
        assertThat(fields(catchStatus(() -> as(PRISON).createClaim(create("people/x", Benefit.BENEFIT_UNSPECIFIED)))))
                .containsExactly("parent", "claim.benefit");
        assertThat(fields(catchStatus(() -> as(PRISON).createClaim(create(person(), Benefit.BENEFIT_HOUSING_COSTS)
                .toBuilder().setRequestId("r".repeat(129)).build())))).containsExactly("request_id");
        assertThat(claims().countDocuments()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "claims/abc", "people/x/claims/y", "people/aaaaaaaaaaaaaaaaaaaa/consents/aaaaaaaaaaaaaaaaaaaa"})
    void malformedNamesAreRefused(String name) {
        assertThat(fields(catchStatus(() -> as(PRISON).getClaim(get(name))))).containsExactly("name");
    }

    @Test
    void refusesCallsWithoutTokenOrWithoutAgency() {
        var noToken = BenefitsLiaisonServiceGrpc.newBlockingStub(channel);
        assertThat(catchStatus(() -> noToken.getClaim(get(person() + "/claims/" + Ids.next()))).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as("not-a-token").createClaim(create(person(), Benefit.BENEFIT_UNIVERSAL_CREDIT)))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchStatus(() -> as(TestTokens.tokenWithoutAgency("someone"))
                .createClaim(create(person(), Benefit.BENEFIT_UNIVERSAL_CREDIT))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void platformOperatorsSeeNoPersonalData() {
        Claim created = as(PRISON).createClaim(create(person(), Benefit.BENEFIT_UNIVERSAL_CREDIT));
        long before = claims().countDocuments();
        assertThat(catchStatus(() -> as(PLATFORM).createClaim(create(person(), Benefit.BENEFIT_UNIVERSAL_CREDIT)))
                .getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(catchStatus(() -> as(PLATFORM).getClaim(get(created.getName()))).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(claims().countDocuments()).isEqualTo(before);
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
