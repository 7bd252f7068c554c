package bridge.referrals.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import bridge.proto.referrals.v1.CreateReferralRequest;
import bridge.proto.referrals.v1.CreateWebhookSubscriptionRequest;
import bridge.proto.referrals.v1.GetReferralRequest;
import bridge.proto.referrals.v1.Pathway;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import bridge.proto.referrals.v1.ReferralServiceGrpc.ReferralServiceBlockingStub;
import bridge.proto.referrals.v1.WebhookEvent;
import bridge.proto.referrals.v1.WebhookSubscription;
import bridge.referrals.ReferralsApplication;
import bridge.referrals.webhooks.WebhookFanout;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TcpProxy;
import bridge.support.testing.TestTokens;
import com.google.rpc.ErrorInfo;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Failure drill (issue #9): the Mongo server stops while referrals are being sent, and comes back.
 * The service reaches the embedded server through a {@link TcpProxy} the test stops (open connections
 * cut, new ones refused) and starts again on the same port, so the data survives the outage.
 *
 * <p>A create is the service's write with the most steps: the referral (unique idempotency key),
 * then the subscriptions read, a sequence number and the outbox message for each subscriber. Four
 * clients send referrals all the time. While the database is down every call fails closed:
 * UNAVAILABLE {@code DATABASE_UNAVAILABLE} within the client's 10 s deadline (a 30 s hang would be
 * DEADLINE_EXCEEDED). When it is back the service recovers by itself (same context, no restart).
 * Retrying each failed create with its request_id then leaves exactly one referral per request and
 * exactly one "created" message per referral: whatever an interrupted request had written is
 * completed, nothing is duplicated.
 */
@SpringBootTest(classes = {ReferralsApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=referrals", "spring.grpc.server.inprocess.name=referrals-mongo-drill",
                "bridge.mongodb.database=referrals-mongo-drill",
                // no delivery or scan in the background: the retries alone must complete the outbox
                "bridge.referrals.webhooks.enabled=false"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class MongoOutageDrillTest {

    static final TcpProxy MONGO = new TcpProxy("127.0.0.1", EmbeddedMongo.port()).start();
    static final String POLICE = TestTokens.token("met-police", "POLICE", "officer-7", "worker");
    static final int CLIENTS = 4;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> "mongodb://127.0.0.1:" + MONGO.port());
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("referrals-mongo-drill").build();

    @Autowired
    MongoDatabase db;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        MONGO.close();
    }

    private ReferralServiceBlockingStub police() {
        return ReferralServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(POLICE))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** One create as a client sent it: the same request (same person) is what a retry sends again. */
    record Attempt(String requestId, CreateReferralRequest request, Status.Code code, String reason, String name,
                   long nanos, long endedAt) {
    }

    private Attempt send(CreateReferralRequest request) {
        long start = System.nanoTime();
        try {
            Referral r = police().createReferral(request);
            return new Attempt(request.getRequestId(), request, Status.Code.OK, null, r.getName(),
                    System.nanoTime() - start, System.nanoTime());
        } catch (StatusRuntimeException e) {
            return new Attempt(request.getRequestId(), request, e.getStatus().getCode(), reason(e), null,
                    System.nanoTime() - start, System.nanoTime());
        }
    }

    private static CreateReferralRequest request(String requestId) {
        return CreateReferralRequest.newBuilder().setRequestId(requestId).setReferral(Referral.newBuilder()
                .setPerson("people/" + Ids.next())
                .setPathway(Pathway.PATHWAY_DRUG_TEST_ON_ARREST)
                .setPerformerAgency("forward-leeds")
                .setReason("Positive test for opiates on arrest; agreed to an assessment.")
                .setDrugTestOnArrest(ProtoFixtures.drugTest())).build();
    }

    private static String reason(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        if (s == null) {
            return null;
        }
        return s.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst().map(a -> {
            try {
                return a.unpack(ErrorInfo.class).getReason();
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                return null;
            }
        }).orElse(null);
    }

    @Test
    void writesFailClosedWhileMongoIsDownAndRecoverWithoutRepair() throws Exception {
        WebhookSubscription subscription = police().createWebhookSubscription(CreateWebhookSubscriptionRequest.newBuilder()
                .setWebhookSubscription(WebhookSubscription.newBuilder().setUrl("http://127.0.0.1:9/drill")
                        .addEvents(WebhookEvent.WEBHOOK_EVENT_CREATED))
                .setRequestId("mongo-drill-subscription").build());
        String subscriptionId = subscription.getName().substring("webhookSubscriptions/".length());

        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int n = 0; running.get(); n++) {
                    attempts.add(send(request("mongo-drill-" + client + "-" + n)));
                }
            }, "drill-client-" + c);
            t.start();
            clients.add(t);
        }
        try {
            await(() -> count(attempts, Status.Code.OK) >= 20, Duration.ofSeconds(60), "20 referrals before the outage");

            MONGO.stop();
            long downAt = System.nanoTime();
            await(() -> attempts.size() - count(attempts, Status.Code.OK) >= 2 * CLIENTS, Duration.ofSeconds(60),
                    "failures while the database is down");
            String someReferral = attempts.stream().filter(a -> a.code() == Status.Code.OK).findFirst().orElseThrow().name();
            StatusRuntimeException read = catchThrowableOfType(StatusRuntimeException.class,
                    () -> police().getReferral(GetReferralRequest.newBuilder().setName(someReferral).build()));
            assertThat(read.getStatus().getCode()).as("a read while down").isEqualTo(Status.Code.UNAVAILABLE);

            MONGO.start();
            long upAt = System.nanoTime();
            await(() -> attempts.stream().filter(a -> a.code() == Status.Code.OK && a.endedAt() > upAt).count() >= 20,
                    Duration.ofSeconds(60), "20 referrals after the outage, with no repair");
            long firstOkAfter = attempts.stream().filter(a -> a.code() == Status.Code.OK && a.endedAt() > upAt)
                    .mapToLong(Attempt::endedAt).min().orElseThrow();
            running.set(false);
            for (Thread t : clients) {
                t.join(30_000);
            }

            List<Attempt> failed = attempts.stream().filter(a -> a.code() != Status.Code.OK).toList();
            assertThat(failed).as("failures during the outage").isNotEmpty();
            assertThat(failed).as("every failure fails closed: UNAVAILABLE DATABASE_UNAVAILABLE")
                    .allSatisfy(a -> {
                        assertThat(a.code()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(a.reason()).isEqualTo("DATABASE_UNAVAILABLE");
                    });

            // what the failed requests left behind before anyone retried
            Map<String, String> stored = storedReferrals();
            Set<String> announced = new HashSet<>(createdMessages(subscriptionId));
            long leftIncomplete = stored.values().stream().filter(id -> !announced.contains(id)).count();

            // the clients retry what failed, with the same request_id and request
            Map<String, String> answered = new HashMap<>();
            attempts.stream().filter(a -> a.code() == Status.Code.OK).forEach(a -> answered.put(a.requestId(), a.name()));
            for (Attempt a : failed) {
                Attempt retry = send(a.request());
                assertThat(retry.code()).as("retry of %s", a.requestId()).isEqualTo(Status.Code.OK);
                answered.put(a.requestId(), retry.name());
            }

            Set<String> requestIds = new HashSet<>();
            attempts.forEach(a -> requestIds.add(a.requestId()));
            stored = storedReferrals();
            assertThat(stored.keySet()).as("one referral per request, none for a request nobody sent")
                    .isEqualTo(requestIds);
            assertThat(db.getCollection("referrals").countDocuments(Filters.regex("idempotencyKey", "^met-police:mongo-drill-")))
                    .isEqualTo(requestIds.size());
            for (String requestId : requestIds) {
                assertThat(answered.get(requestId)).as("answer to %s", requestId)
                        .isEqualTo("referrals/" + stored.get(requestId));
            }
            List<String> created = createdMessages(subscriptionId);
            assertThat(created).as("one created message per referral").hasSize(requestIds.size())
                    .containsExactlyInAnyOrderElementsOf(stored.values());
            for (String name : answered.values()) {
                Referral r = police().getReferral(GetReferralRequest.newBuilder().setName(name).build());
                assertThat(r.getEtag()).isEqualTo("W/\"1\"");
            }

            long maxFailedMillis = failed.stream().mapToLong(Attempt::nanos).max().orElseThrow() / 1_000_000;
            System.out.printf("MONGO OUTAGE DRILL: %d creates (%d failed, all UNAVAILABLE; slowest failure %d ms), "
                            + "first success %d ms after the server was back, %d referrals written but not yet "
                            + "announced when it failed, completed by the retries; outage lasted %d ms%n",
                    attempts.size(), failed.size(), maxFailedMillis, (firstOkAfter - upAt) / 1_000_000, leftIncomplete,
                    (upAt - downAt) / 1_000_000);
        } finally {
            running.set(false);
            MONGO.start(); // back up whatever failed, for the context's shutdown
        }
    }

    /** request_id → referral id, from the database. */
    private Map<String, String> storedReferrals() {
        Map<String, String> out = new HashMap<>();
        for (Document d : db.getCollection("referrals").find(Filters.regex("idempotencyKey", "^met-police:mongo-drill-"))) {
            out.put(d.getString("idempotencyKey").substring("met-police:".length()), d.getString("_id"));
        }
        return out;
    }

    /** The referral ids of the subscription's "created" outbox messages, one entry per message. */
    private List<String> createdMessages(String subscriptionId) {
        List<String> out = new ArrayList<>();
        String prefix = subscriptionId + ":";
        for (Document d : db.getCollection("outbox").find(Filters.and(Filters.eq("channel", WebhookFanout.CHANNEL),
                Filters.eq("orderingKey", subscriptionId)))) {
            String key = d.getString("idempotencyKey");
            if (key.startsWith(prefix) && key.endsWith(":created")) {
                out.add(key.substring(prefix.length(), key.length() - ":created".length()));
            }
        }
        return out;
    }

    private static long count(ConcurrentLinkedQueue<Attempt> attempts, Status.Code code) {
        return attempts.stream().filter(a -> a.code() == code).count();
    }

    private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
