package bridge.referrals.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.AgencyType;
import bridge.proto.referrals.v1.CreateReferralRequest;
import bridge.proto.referrals.v1.GetReferralRequest;
import bridge.proto.referrals.v1.Pathway;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import bridge.proto.referrals.v1.ReferralServiceGrpc.ReferralServiceBlockingStub;
import bridge.proto.referrals.v1.ReferralStatus;
import bridge.referrals.ReferralsApplication;
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
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The referral service over in-process gRPC, against the embedded Mongo wire server. */
@SpringBootTest(classes = {ReferralsApplication.class, ReferralGrpcServiceTest.Tokens.class},
        properties = {"spring.config.name=referrals", "spring.grpc.server.inprocess.name=referrals-test",
                "bridge.mongodb.database=referrals-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferralGrpcServiceTest {

    @TestConfiguration
    static class Tokens {
        @Bean
        JwtDecoder testJwtDecoder() {
            return TestTokens.decoder();
        }

        @Bean
        bridge.support.testing.FakeConsentDecisions consentDecisions() {
            return new bridge.support.testing.FakeConsentDecisions();
        }
    }

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
                .setReason("Positive test for opiates on arrest; agreed to an assessment.");
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
        assertThat(as(TREATMENT).getReferral(get(created.getName()))).isEqualTo(created);

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
