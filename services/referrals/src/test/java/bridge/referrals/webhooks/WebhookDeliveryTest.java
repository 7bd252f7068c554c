package bridge.referrals.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.referrals.domain.NewReferral;
import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayDetails;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.Referrals;
import bridge.referrals.domain.StatusReason;
import bridge.referrals.domain.StatusReasonCode;
import bridge.referrals.domain.Transition;
import bridge.referrals.domain.WebhookSubscription;
import bridge.referrals.domain.WebhookSubscriptions;
import bridge.referrals.persistence.MongoReferralRepository;
import bridge.referrals.persistence.MongoWebhookSubscriptionRepository;
import bridge.support.consent.Decisions;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.mongo.Ids;
import bridge.support.outbox.DeliveryOutcome;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxDispatcher;
import bridge.support.outbox.OutboxHandler;
import bridge.support.outbox.OutboxMessage;
import bridge.support.outbox.OutboxStatus;
import bridge.support.outbox.RetryPolicy;
import bridge.support.testing.EmbeddedMongo;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import bridge.support.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries end to end below the API: referral events written to the shared outbox after the
 * referral, delivered by the outbox dispatcher to WireMock as the integrator's receiver, signed, in
 * order per subscription, through a 30-minute outage (controllable clock, no sleeping) and a restart
 * in the middle of a delivery.
 */
class WebhookDeliveryTest {

    static final Caller PRISON = new Caller("rp-1", "hmp-leeds", AgencyType.PRISON, Set.of("worker"));
    static final Caller TREATMENT = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    MongoClient client;
    MongoDatabase db;
    WireMockServer receiver;
    int port;
    MongoWebhookSubscriptionRepository subscriptionRepository;
    Outbox outbox;
    Referrals referrals;
    WebhookSubscription subscription;

    @BeforeEach
    void setUp() {
        client = MongoClients.create(EmbeddedMongo.uri());
        db = client.getDatabase("webhooks-" + Ids.next());
        subscriptionRepository = new MongoWebhookSubscriptionRepository(db);
        outbox = new Outbox(db, clock);
        referrals = new Referrals(new MongoReferralRepository(db), (p, c, u) -> Decisions.allowAll(), p -> true, clock,
                Ids::next).withEvents(new WebhookFanout(subscriptionRepository, outbox));
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        port = receiver.port();
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        subscription = new WebhookSubscriptions(subscriptionRepository, clock, Ids::next).create(TREATMENT,
                "http://127.0.0.1:" + port + "/hook", Set.of(WebhookSubscription.Event.CREATED,
                        WebhookSubscription.Event.STATE_CHANGED), "", new Violations());
    }

    @AfterEach
    void tearDown() {
        receiver.stop();
        client.close();
    }

    OutboxDispatcher dispatcher(OutboxHandler handler) {
        return new OutboxDispatcher(outbox, List.of(handler), RetryPolicy.defaults(), clock, new SimpleMeterRegistry());
    }

    WebhookDelivery delivery() {
        return new WebhookDelivery(subscriptionRepository, Duration.ofSeconds(2), clock);
    }

    Referral send() {
        return referrals.send(PRISON, new NewReferral(Ids.next(), Pathway.CUSTODY_RELEASE_TREATMENT, "forward-leeds",
                "On methadone in custody", new PathwayDetails.CustodyRelease(java.time.LocalDate.of(2026, 3, 20), "HMP Leeds",
                Set.of(PathwayDetails.CustodyTreatment.OPIOID_SUBSTITUTION_THERAPY))), null);
    }

    Referral move(Referral r, Transition t) {
        StatusReason reason = t.needsReason() ? new StatusReason(StatusReasonCode.PERSON_IN_HOSPITAL, "") : null;
        return referrals.transition(TREATMENT, r.id(), t, r.etag(), reason, new Violations());
    }

    List<LoggedRequest> received() {
        return receiver.findAll(postRequestedFor(urlEqualTo("/hook")));
    }

    /** Every delivery is genuine and was fresh when sent: verified as an integrator would. */
    void assertSigned(LoggedRequest request) {
        assertThat(WebhookSignatures.problem(subscription.secret(), request.getHeader(WebhookSignatures.TIMESTAMP_HEADER),
                request.getHeader(WebhookSignatures.SIGNATURE_HEADER), request.getBody(), clock.instant(),
                WebhookSignatures.DEFAULT_TOLERANCE)).isNull();
    }

    @Test
    void aSignedDeliveryCarriesIdsAndStatesOnly() {
        Referral r = send();
        assertThat(dispatcher(delivery()).runOnce()).isEqualTo(1);
        LoggedRequest got = received().getFirst();
        assertSigned(got);
        assertThat(got.getHeader(WebhookSignatures.ID_HEADER)).isEqualTo(subscription.id() + ":" + r.id() + ":created");
        assertThat(got.getBodyAsString()).contains("\"type\":\"referral.created\"", "\"referral\":\"referrals/" + r.id() + "\"",
                "\"status\":\"REQUESTED\"");
        assertThat(got.getBodyAsString()).doesNotContain(r.personId()).doesNotContain("CUSTODY").doesNotContain("methadone")
                .doesNotContain("HMP");
        // another agency's subscription hears nothing of this referral
        assertThat(outbox.countByStatus(WebhookFanout.CHANNEL, OutboxStatus.DELIVERED)).isEqualTo(1);
    }

    @Test
    void aReceiverDownForThirtyMinutesGetsEverythingInOrderOnceBack() throws Exception {
        Referral r = send();
        OutboxDispatcher dispatcher = dispatcher(delivery());
        dispatcher.runOnce();
        assertThat(received()).hasSize(1);

        receiver.stop();                                               // the integrator's system goes down
        r = move(r, Transition.ACCEPT);
        r = move(r, Transition.START);
        move(r, Transition.HOLD);
        for (int minute = 1; minute <= 30; minute++) {
            clock.advance(Duration.ofMinutes(1));
            dispatcher.runOnce();
        }
        List<OutboxMessage> backlog = outbox.byOrderingKey(WebhookFanout.CHANNEL, subscription.id());
        assertThat(backlog).extracting(OutboxMessage::status).containsExactly(OutboxStatus.DELIVERED,
                OutboxStatus.PENDING, OutboxStatus.PENDING, OutboxStatus.PENDING);
        // retried with backoff (not every minute and not never), and only the head of the line was tried
        assertThat(backlog.get(1).attempts()).isBetween(5, 29);
        assertThat(backlog.get(2).attempts()).isZero();
        assertThat(backlog.get(3).attempts()).isZero();

        receiver = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));   // back, same address
        receiver.start();
        receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        clock.advance(Duration.ofMinutes(6));                         // past the longest backoff (5 min + jitter)
        assertThat(dispatcher.runOnce()).isEqualTo(3);
        List<LoggedRequest> got = received();
        assertThat(got).extracting(q -> q.getHeader(WebhookSignatures.ID_HEADER)).containsExactly(
                subscription.id() + ":" + r.id() + ":t1", subscription.id() + ":" + r.id() + ":t2",
                subscription.id() + ":" + r.id() + ":t3");
        assertThat(got).extracting(LoggedRequest::getBodyAsString).satisfiesExactly(
                b -> assertThat(b).contains("\"status\":\"ACCEPTED\"", "\"previousStatus\":\"REQUESTED\"", "\"transition\":1"),
                b -> assertThat(b).contains("\"status\":\"IN_PROGRESS\"", "\"transition\":2"),
                b -> assertThat(b).contains("\"status\":\"ON_HOLD\"", "\"transition\":3"));
        got.forEach(this::assertSigned);
        assertThat(outbox.countByStatus(WebhookFanout.CHANNEL, OutboxStatus.DELIVERED)).isEqualTo(4);
    }

    @Test
    void aRestartMidDeliveryDeliversAgainWithTheSameIdAndKeepsTheOrder() throws Exception {
        Referral r = send();
        CountDownLatch neverReturns = new CountDownLatch(1);
        WebhookDelivery real = delivery();
        OutboxHandler dying = new OutboxHandler() {
            @Override
            public String channel() {
                return WebhookFanout.CHANNEL;
            }

            @Override
            public DeliveryOutcome deliver(OutboxMessage m) {
                DeliveryOutcome outcome = real.deliver(m);              // the receiver has it...
                try {
                    neverReturns.await();                               // ...and the process dies before recording that
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return outcome;
            }
        };
        Thread first = new Thread(() -> dispatcher(dying).runOnce(), "dying-dispatcher");
        first.setDaemon(true);
        first.start();
        for (int i = 0; i < 100 && received().isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(received()).hasSize(1);
        move(r, Transition.ACCEPT);

        OutboxDispatcher restarted = dispatcher(delivery());
        assertThat(restarted.runOnce()).as("the lease still holds: nothing, and the next waits its turn").isZero();
        clock.advance(Duration.ofMinutes(3));                           // lease (2 min) expired
        assertThat(restarted.runOnce()).isEqualTo(2);
        List<String> ids = received().stream().map(q -> q.getHeader(WebhookSignatures.ID_HEADER)).toList();
        assertThat(ids).containsExactly(subscription.id() + ":" + r.id() + ":created",
                subscription.id() + ":" + r.id() + ":created", subscription.id() + ":" + r.id() + ":t1");
        assertThat(ids.stream().distinct()).as("after deduplicating on the id: each event once, in order")
                .containsExactly(subscription.id() + ":" + r.id() + ":created", subscription.id() + ":" + r.id() + ":t1");
        neverReturns.countDown();
        first.join(5000);
    }

    @Test
    void theScanReEnqueuesWhatAFailedRequestLeftOutAndRaisesOverdue() {
        WebhookSubscription overdue = new WebhookSubscriptions(subscriptionRepository, clock, Ids::next).create(TREATMENT,
                "http://127.0.0.1:" + port + "/hook", Set.of(WebhookSubscription.Event.OVERDUE), "", new Violations());
        // a referral written while the outbox was failing: nothing enqueued for it
        Referral lost = new Referrals(new MongoReferralRepository(db),
                (p, c, u) -> Decisions.allowAll(), p -> true, clock, Ids::next).send(PRISON, new NewReferral(Ids.next(),
                Pathway.PEER_NAVIGATOR, "forward-leeds", "", new PathwayDetails.PeerNavigator(true, "")), null);
        assertThat(outbox.byOrderingKey(WebhookFanout.CHANNEL, subscription.id())).isEmpty();
        WebhookFanout fanout = new WebhookFanout(subscriptionRepository, outbox);
        MongoReferralRepository repo = new MongoReferralRepository(db);
        fanout.scan(repo, bridge.referrals.domain.TimerPolicy.defaults(), clock.instant().minus(Duration.ofHours(1)), clock);
        assertThat(outbox.byOrderingKey(WebhookFanout.CHANNEL, subscription.id())).extracting(OutboxMessage::idempotencyKey)
                .containsExactly(subscription.id() + ":" + lost.id() + ":created");
        // scanning again adds nothing; two working days later (peer navigator: acknowledge in 2) it is overdue, once
        fanout.scan(repo, bridge.referrals.domain.TimerPolicy.defaults(), clock.instant().minus(Duration.ofHours(1)), clock);
        clock.advance(Duration.ofDays(3));
        fanout.scan(repo, bridge.referrals.domain.TimerPolicy.defaults(), clock.instant().minus(Duration.ofHours(1)), clock);
        fanout.scan(repo, bridge.referrals.domain.TimerPolicy.defaults(), clock.instant().minus(Duration.ofHours(1)), clock);
        assertThat(outbox.byOrderingKey(WebhookFanout.CHANNEL, subscription.id())).hasSize(1);
        assertThat(outbox.byOrderingKey(WebhookFanout.CHANNEL, overdue.id())).extracting(OutboxMessage::idempotencyKey)
                .containsExactly(overdue.id() + ":" + lost.id() + ":overdue:ACKNOWLEDGE");
    }

}
