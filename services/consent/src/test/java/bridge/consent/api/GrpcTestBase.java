package bridge.consent.api;

import bridge.support.testing.ServiceTestBeans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.consent.ConsentApplication;
import bridge.consent.domain.AuditEntry;
import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.AuditTrail;
import bridge.consent.domain.AuditVerification;
import bridge.proto.common.v1.AgencyType;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.ConsentMethod;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.ConsentServiceGrpc.ConsentServiceBlockingStub;
import bridge.proto.consent.v1.CreateConsentRequest;
import bridge.proto.consent.v1.Recipient;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.RequestIds;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.TestTokens;
import bridge.support.time.MutableClock;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The consent service over in-process gRPC, against the embedded Mongo wire server. Every gRPC test
 * class extends this, so they share one application context (and one database, one audit chain).
 */
@SpringBootTest(classes = {ConsentApplication.class, ServiceTestBeans.class, GrpcTestBase.TestBeans.class},
        properties = {"spring.config.name=consent", "spring.grpc.server.inprocess.name=consent-test",
                "bridge.mongodb.database=consent-test", "spring.profiles.active=demo"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GrpcTestBase {

    /** The service clock, moved forward by tests that need time to pass. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00.123456789Z"));

    @TestConfiguration
    static class TestBeans {
        @Bean
        Clock testClock() {
            return CLOCK;
        }


        /** The real audit trail, which a test can make fail (to see decisions fail closed). */
        @Bean
        @Primary
        SwitchableAuditTrail switchableAuditTrail(@Qualifier("auditTrail") AuditTrail real) {
            return new SwitchableAuditTrail(real);
        }
    }

    static final class SwitchableAuditTrail implements AuditTrail {
        private final AuditTrail real;
        volatile boolean failing;

        SwitchableAuditTrail(AuditTrail real) {
            this.real = real;
        }

        @Override
        public List<AuditEntry> append(List<AuditEvent> events) {
            if (failing) {
                throw new IllegalStateException("audit store down (test)");
            }
            return real.append(events);
        }

        @Override
        public AuditVerification verify() {
            return real.verify();
        }

        @Override
        public AuditVerification verifyNew() {
            return real.verifyNew();
        }

        @Override
        public List<AuditEntry> aboutPerson(String personId, long beforeSequence, int limit) {
            return real.aboutPerson(personId, beforeSequence, limit);
        }
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    static final String DPO_ROLE = "data-protection-officer";
    // one token per agency of the demo directory, and the oversight roles
    static final String TREATMENT = TestTokens.token("forward-leeds", "TREATMENT", "keyworker-1", "worker");
    static final String TREATMENT_2 = TestTokens.token("forward-leeds", "TREATMENT", "keyworker-2", "worker");
    static final String OTHER_TREATMENT = TestTokens.token("change-grow-live", "TREATMENT", "cgl-worker", "worker");
    static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "officer", "worker");
    static final String PROBATION = TestTokens.token("north-probation", "PROBATION", "po-1", "worker");
    static final String POLICE = TestTokens.token("met-police", "POLICE", "pc-1", "worker");
    static final String HEALTH = TestTokens.token("leeds-nhs", "HEALTH", "gp-1", "worker");
    static final String BENEFITS = TestTokens.token("dwp-leeds", "BENEFITS", "adviser", "worker");
    static final String PLATFORM = TestTokens.token("bridge-platform", "PLATFORM", "operator", "platform-operator");
    /** The demo realm's DPO belongs to the platform agency. */
    static final String DPO = TestTokens.token("bridge-platform", "PLATFORM", "dpo", DPO_ROLE);
    static final String DPO_2 = TestTokens.token("bridge-platform", "PLATFORM", "dpo-2", DPO_ROLE);

    private final ManagedChannel channel = InProcessChannelBuilder.forName("consent-test").directExecutor().build();

    @Autowired
    MongoDatabase db;

    @Autowired
    SwitchableAuditTrail audit;

    @AfterAll
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    ConsentServiceBlockingStub as(String token) {
        return ConsentServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    /** A stub that sends {@code x-request-id}, as the gateway does. */
    ConsentServiceBlockingStub as(String token, String requestId) {
        Metadata headers = new Metadata();
        headers.put(RequestIds.METADATA_KEY, requestId);
        return as(token).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    ConsentServiceBlockingStub anonymous() {
        return ConsentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    MongoCollection<Document> subjects() {
        return db.getCollection("consentSubjects");
    }

    MongoCollection<Document> versions() {
        return db.getCollection("consentVersions");
    }

    MongoCollection<Document> auditTrail() {
        return db.getCollection("auditTrail");
    }

    static final List<String> COLLECTIONS = List.of("consentSubjects", "consentVersions", "idempotencyKeys", "auditTrail");

    /**
     * A fingerprint of everything this service has stored: every document of every collection it
     * writes. Equal before and after a call means the call wrote nothing (not even an update).
     */
    String fingerprint() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            StringBuilder counts = new StringBuilder();
            for (String name : COLLECTIONS) {
                long n = 0;
                for (Document d : db.getCollection(name).find().sort(new Document("_id", 1))) {
                    sha.update(d.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    n++;
                }
                counts.append(name).append('=').append(n).append(' ');
            }
            return counts + java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The stored current version of a consent or legal basis: its element in the person's document. */
    Document element(String name, String field) {
        String[] parts = name.split("/");
        Document subject = subjects().find(new Document("_id", parts[1])).first();
        assertThat(subject).as("the person's document").isNotNull();
        List<Document> matching = subject.getList(field, Document.class).stream()
                .filter(e -> e.getString("id").equals(parts[3])).toList();
        assertThat(matching).as("exactly one current version").hasSize(1);
        return matching.getFirst();
    }

    static String person() {
        return "people/" + Ids.next();
    }

    static Timestamp at(Instant i) {
        return ProtoMapping.timestamp(i);
    }

    static Timestamp fromNow(Duration d) {
        return at(CLOCK.instant().plus(d));
    }

    /** A valid consent recorded by a treatment service: leeds-housing and every PROBATION agency may see two categories. */
    static Consent.Builder consent() {
        return Consent.newBuilder()
                .addRecipients(Recipient.newBuilder().setAgency("leeds-housing"))
                .addRecipients(Recipient.newBuilder().setAgencyType(AgencyType.AGENCY_TYPE_PROBATION))
                .addCategories(DataCategory.DATA_CATEGORY_SUBSTANCE_USE)
                .addCategories(DataCategory.DATA_CATEGORY_HOUSING)
                .addPurposes(Purpose.PURPOSE_DIRECT_SUPPORT)
                .setMethod(ConsentMethod.CONSENT_METHOD_WRITTEN)
                .setCapacityNote("Understood and signed the form.");
    }

    static CreateConsentRequest create(String parent, Consent.Builder consent) {
        return CreateConsentRequest.newBuilder().setParent(parent).setConsent(consent).build();
    }

    static String id(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    static StatusRuntimeException failure(ThrowingCallable call) {
        StatusRuntimeException[] caught = new StatusRuntimeException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> caught[0] = e);
        return caught[0];
    }

    static void assertCode(Status.Code code, ThrowingCallable call) {
        assertThat(failure(call).getStatus().getCode()).isEqualTo(code);
    }

    /** The field paths of an INVALID_ARGUMENT's BadRequest. */
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

    static List<String> fields(ThrowingCallable call) {
        return fields(failure(call));
    }

    /** The ErrorInfo reason of a failure. */
    static String reason(StatusRuntimeException e) {
        try {
            return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ErrorInfo.class))
                    .findFirst().orElseThrow().unpack(ErrorInfo.class).getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }
}
