package bridge.benefits.partner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.benefits.BenefitsLiaisonApplication;
import bridge.proto.benefits.v1.Benefit;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.Claim;
import bridge.proto.benefits.v1.ClaimStatus;
import bridge.proto.benefits.v1.ClaimStatusChange;
import bridge.proto.benefits.v1.CreateClaimRequest;
import bridge.proto.benefits.v1.GetClaimRequest;
import bridge.proto.benefits.v1.SubmitClaimRequest;
import bridge.proto.common.v1.DeadLetter;
import bridge.proto.common.v1.ListDeadLettersRequest;
import bridge.proto.common.v1.ReplayDeadLetterRequest;
import bridge.proto.benefits.v1.ClaimAlert;
import bridge.proto.benefits.v1.ClaimPreparation;
import bridge.proto.benefits.v1.CreateClaimPreparationRequest;
import bridge.proto.benefits.v1.GetClaimPreparationRequest;
import bridge.proto.benefits.v1.Jurisdiction;
import bridge.support.grpc.ProtoMapping;
import java.time.LocalDate;
import java.time.ZoneId;
import bridge.support.consent.DataCategory;
import bridge.support.mongo.Ids;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxDispatcher;
import bridge.support.outbox.OutboxMessage;
import bridge.support.outbox.OutboxStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import bridge.support.time.MutableClock;
import bridge.support.partner.PartnerContract;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import bridge.support.partner.PartnerFaults;
import bridge.support.partner.PartnerFaults.PartnerFault;
import bridge.support.partner.PartnerFaults.DyingProcess;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Claim submission inside the service: consent checked, the claim written as SUBMITTED, then
 * delivered through the outbox to a WireMock DWP under the claim's idempotency key; retries of the
 * call and DWP's trouble (reset, 503, malformed body) make exactly one accepted submission.
 */
@SpringBootTest(classes = {BenefitsLiaisonApplication.class, ServiceTestBeans.class, ClaimSubmissionDeliveryTest.Beans.class},
        properties = {"spring.config.name=benefits-liaison", "spring.grpc.server.inprocess.name=benefits-submit-test",
                "bridge.mongodb.database=benefits-submit-test", "bridge.benefits.outbox.poll-interval=0",
                "bridge.benefits.dwp-api.deadline=2s", "bridge.benefits.claim-status.poll-interval=0"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimSubmissionDeliveryTest {

    static final PartnerFaults DWP = PartnerFaults.start();
    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static final PartnerContract CONTRACT = PartnerContract.load("partner-api/dwp-claims.yaml");

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
        registry.add("bridge.benefits.dwp-api.base-url", () -> DWP.baseUrl() + "/dwp");
    }

    private static final String ADVISER = TestTokens.token("leeds-welfare-rights", "BENEFITS", "adviser", "worker");
    private static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");

    private final ManagedChannel channel = InProcessChannelBuilder.forName("benefits-submit-test").directExecutor().build();

    @Autowired
    MongoDatabase db;
    @Autowired
    FakeConsentDecisions consent;
    @Autowired
    OutboxDispatcher dispatcher;
    @Autowired
    Outbox outbox;
    @Autowired
    DwpClaimsApi api;

    /** The first calls of a cold JVM (HTTP client, WireMock) can outlast a deadline on a busy machine. */
    @BeforeAll
    void warmUp() {
        stubAccepting();
        for (int i = 0; i < 3; i++) {
            api.submit("warm-up", "{}");
        }
    }

    @BeforeEach
    void healthyDwp() {
        DWP.reset();
        stubAccepting();
    }

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        DWP.close();
    }

    /** DWP as the contract has it: 202 the first time a key is seen, with a claim id derived from the key. */
    private static void stubAccepting() {
        DWP.stubFor(post(urlPathEqualTo("/dwp/claims")).atPriority(5).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"claimId\":\"DWP-{{request.headers.Idempotency-Key}}\",\"status\":\"RECEIVED\",\"receivedAt\":\"{{now}}\"}")
                .withTransformers("response-template")));
    }

    private BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceBlockingStub as(String token) {
        return BenefitsLiaisonServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private Claim open(String personId) {
        return as(ADVISER).createClaim(CreateClaimRequest.newBuilder().setParent("people/" + personId)
                .setClaim(Claim.newBuilder().setBenefit(Benefit.BENEFIT_UNIVERSAL_CREDIT)).build());
    }

    private String consentingPerson() {
        String personId = Ids.next();
        consent.grant("leeds-welfare-rights", personId, DataCategory.IDENTITY, DataCategory.BENEFITS);
        return personId;
    }

    private Claim read(Claim c) {
        return as(ADVISER).getClaim(GetClaimRequest.newBuilder().setName(c.getName()).build());
    }

    private static SubmitClaimRequest submit(Claim c) {
        return SubmitClaimRequest.newBuilder().setName(c.getName()).build();
    }

    private static String id(Claim c) {
        return c.getName().substring(c.getName().lastIndexOf('/') + 1);
    }

    private static List<ServeEvent> sentWithKey(String key) {
        return DWP.sentWithKey(key);
    }

    private static List<ServeEvent> acceptedWithKey(String key) {
        return sentWithKey(key).stream().filter(e -> e.getResponse().getStatus() == 202).toList();
    }

    /** Runs the dispatcher until nothing is due now. */
    private void drain() {
        for (int i = 0; i < 50 && dispatcher.runOnce() > 0; i++) {
            // keep going: a key's next message becomes due when the one before it is delivered
        }
    }

    /** Moves the clock past the outbox's backoff and delivers what is due, a few times. */
    private void retryFor(Duration total) {
        for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plusSeconds(30)) {
            CLOCK.advance(Duration.ofSeconds(30));
            drain();
        }
    }

    static StatusRuntimeException catchStatus(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void aClaimIsWrittenAsSubmittedThenDeliveredOnceWithItsKey() {
        Claim opened = open(consentingPerson());
        Claim submitted = as(ADVISER).submitClaim(submit(opened).toBuilder().setEtag(opened.getEtag()).build());
        assertThat(submitted.getStatus()).isEqualTo(ClaimStatus.CLAIM_STATUS_SUBMITTED);
        assertThat(submitted.getDwpClaimId()).isEmpty();
        assertThat(submitted.getHistoryList()).extracting(ClaimStatusChange::getStatus)
                .containsExactly(ClaimStatus.CLAIM_STATUS_PREPARING, ClaimStatus.CLAIM_STATUS_SUBMITTED);
        assertThat(DWP.served()).as("written first, delivered after").isEmpty();

        drain();
        String key = "claim-" + id(opened);
        List<ServeEvent> sent = sentWithKey(key);
        assertThat(sent).hasSize(1);
        var request = sent.getFirst().getRequest();
        assertThat(CONTRACT.checkRequest("submitClaim", Map.of("Idempotency-Key", key), request.getBodyAsString())).isEmpty();
        assertThat(request.getBodyAsString()).contains("\"claimReference\":\"" + id(opened) + "\"")
                .contains("UNIVERSAL_CREDIT");
        Claim received = read(opened);
        assertThat(received.getDwpClaimId()).isEqualTo("DWP-" + key);
        assertThat(received.getStatus()).isEqualTo(ClaimStatus.CLAIM_STATUS_SUBMITTED);

        // submitting a claim DWP already has is refused and sends nothing
        assertThat(catchStatus(() -> as(ADVISER).submitClaim(submit(opened))).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        drain();
        assertThat(sentWithKey(key)).hasSize(1);
    }

    @Autowired
    ClaimStatusPoller poller;

    @Test
    void pollingRecordsDwpsStatusAndItsExpectedFirstPaymentClosesThePaymentGap() {
        String personId = consentingPerson();
        LocalDate release = LocalDate.now(CLOCK.withZone(ZoneId.of("Europe/London"))).plusDays(10);
        ClaimPreparation prepared = as(ADVISER).createClaimPreparation(CreateClaimPreparationRequest.newBuilder()
                .setParent("people/" + personId).setClaimPreparation(ClaimPreparation.newBuilder()
                        .setBenefit(Benefit.BENEFIT_UNIVERSAL_CREDIT).setReleaseDate(ProtoMapping.date(release))
                        .setJurisdiction(Jurisdiction.JURISDICTION_ENGLAND_AND_WALES)).build());
        assertThat(prepared.getAlertsList()).contains(ClaimAlert.CLAIM_ALERT_PAYMENT_GAP);
        Claim opened = open(personId);
        as(ADVISER).submitClaim(submit(opened));
        drain();
        String dwpId = read(opened).getDwpClaimId();
        assertThat(dwpId).isNotEmpty();

        LocalDate payment = release.plusDays(7);
        DWP.stubFor(get(urlPathEqualTo("/dwp/claims/" + dwpId)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"claimId\":\"" + dwpId + "\",\"status\":\"IN_REVIEW\",\"receivedAt\":\"2026-11-20T10:00:00Z\","
                        + "\"expectedFirstPaymentDate\":\"" + payment + "\"}")));
        assertThat(poller.runOnce(1000)).isGreaterThanOrEqualTo(1);
        Claim reviewed = read(opened);
        assertThat(reviewed.getStatus()).isEqualTo(ClaimStatus.CLAIM_STATUS_AWAITING_DECISION);
        assertThat(reviewed.getExpectedFirstPaymentDate()).isEqualTo(ProtoMapping.date(payment));
        assertThat(reviewed.getHistoryList()).extracting(ClaimStatusChange::getStatus).containsExactly(
                ClaimStatus.CLAIM_STATUS_PREPARING, ClaimStatus.CLAIM_STATUS_SUBMITTED, ClaimStatus.CLAIM_STATUS_AWAITING_DECISION);
        assertThat(reviewed.getHistory(2).getChangedBy().getAgency()).isEqualTo("dwp");
        ClaimPreparation followed = as(ADVISER).getClaimPreparation(GetClaimPreparationRequest.newBuilder()
                .setName(prepared.getName()).build());
        assertThat(followed.getChecklist().getExpectedFirstPaymentDate()).isEqualTo(ProtoMapping.date(payment));
        assertThat(followed.getAlertsList()).doesNotContain(ClaimAlert.CLAIM_ALERT_PAYMENT_GAP);

        // nothing new at DWP: a repeated poll changes nothing; DWP down: nothing changes either
        poller.runOnce(1000);
        assertThat(read(opened)).isEqualTo(reviewed);
        DWP.stubFor(get(urlPathEqualTo("/dwp/claims/" + dwpId)).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"claimId\":")));
        poller.runOnce(1000);
        assertThat(read(opened)).isEqualTo(reviewed);
    }

    private static final String OPERATOR = TestTokens.token("bridge-platform", "PLATFORM", "operator", "platform-operator");
    private static final String PLATFORM_WITHOUT_ROLE = TestTokens.token("bridge-platform", "PLATFORM", "someone");

    @Test
    void aRefusalIsADeadLetterAtOnceWhichOnlyAnOperatorSeesAndReplays() {
        DWP.stubFor(post(urlPathEqualTo("/dwp/claims")).atPriority(1).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"title\":\"Conflict\",\"status\":409}")));
        Claim opened = open(consentingPerson());
        as(ADVISER).submitClaim(submit(opened));
        drain();
        String key = "claim-" + id(opened);
        assertThat(sentWithKey(key)).hasSize(1);
        assertThat(read(opened).getDwpClaimId()).isEmpty();

        var letters = as(OPERATOR).listDeadLetters(ListDeadLettersRequest.getDefaultInstance()).getDeadLettersList();
        DeadLetter letter = letters.stream().filter(l -> l.getIdempotencyKey().equals(key)).findFirst().orElseThrow();
        assertThat(letter.getName()).startsWith("benefits/deadLetters/");
        assertThat(letter.getLastError()).startsWith("rejected: HTTP 409");
        assertThat(letter.getAttributesMap()).containsOnlyKeys("claimId");
        assertThat(letter.getState()).isEqualTo("DEAD");
        assertThat(letter.toString()).doesNotContain(opened.getName().split("/")[1]).doesNotContain("UNIVERSAL_CREDIT");
        assertThat(catchStatus(() -> as(ADVISER).listDeadLetters(ListDeadLettersRequest.getDefaultInstance()))
                .getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(catchStatus(() -> as(PLATFORM_WITHOUT_ROLE).replayDeadLetter(ReplayDeadLetterRequest.newBuilder()
                .setName(letter.getName()).build())).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        DWP.reset();
        stubAccepting();
        DeadLetter replayed = as(OPERATOR).replayDeadLetter(ReplayDeadLetterRequest.newBuilder().setName(letter.getName()).build());
        assertThat(replayed.getState()).isEqualTo("PENDING");
        assertThat(catchStatus(() -> as(OPERATOR).replayDeadLetter(ReplayDeadLetterRequest.newBuilder()
                .setName(letter.getName()).build())).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        drain();
        assertThat(acceptedWithKey(key)).hasSize(1);
        assertThat(read(opened).getDwpClaimId()).isEqualTo("DWP-" + key);
        assertThat(catchStatus(() -> as(OPERATOR).replayDeadLetter(ReplayDeadLetterRequest.newBuilder()
                .setName("benefits/deadLetters/" + Ids.next()).build())).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(fields(catchStatus(() -> as(OPERATOR).replayDeadLetter(ReplayDeadLetterRequest.newBuilder()
                .setName("housing/deadLetters/x").build())))).containsExactly("name");
    }

    @Test
    void aRetriedSubmitBeforeDeliveryMakesOneMessageAndOneAcceptedSubmission() {
        String personId = consentingPerson();
        Claim opened = open(personId);
        Claim first = as(ADVISER).submitClaim(submit(opened));
        assertThat(as(ADVISER).submitClaim(submit(opened))).isEqualTo(first);
        assertThat(outbox.byOrderingKey(OutboxClaimSubmissions.CHANNEL, personId)).hasSize(1);
        drain();
        assertThat(sentWithKey("claim-" + id(opened))).hasSize(1);
    }

    @Test
    void withoutConsentNothingIsWrittenOrSent() {
        String personId = Ids.next();
        Claim opened = open(personId);
        long queued = db.getCollection("outbox").countDocuments();
        var none = catchStatus(() -> as(ADVISER).submitClaim(submit(opened)));
        assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(none.getStatus().getDescription()).contains("IDENTITY for REFERRAL").contains("BENEFITS for REFERRAL");
        consent.grant("leeds-welfare-rights", personId, DataCategory.BENEFITS);
        var noIdentity = catchStatus(() -> as(ADVISER).submitClaim(submit(opened)));
        assertThat(noIdentity.getStatus().getDescription()).contains("IDENTITY for REFERRAL").doesNotContain("BENEFITS for REFERRAL");
        // another agency cannot tell the claim exists, let alone submit it
        assertThat(catchStatus(() -> as(PRISON).submitClaim(submit(opened))).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(fields(catchStatus(() -> as(ADVISER).submitClaim(SubmitClaimRequest.newBuilder().setName("people/x")
                .setEtag("nope").build())))).containsExactly("name", "etag");
        assertThat(read(opened)).isEqualTo(opened);
        // a claim the adviser recorded as SUBMITTED by hand (made by phone) is not sent again
        consent.grant("leeds-welfare-rights", personId, DataCategory.IDENTITY, DataCategory.BENEFITS);
        Claim byHand = open(personId);
        as(ADVISER).recordClaimStatus(bridge.proto.benefits.v1.RecordClaimStatusRequest.newBuilder().setName(byHand.getName())
                .setStatus(ClaimStatus.CLAIM_STATUS_SUBMITTED).setNote("made by phone").build());
        assertThat(catchStatus(() -> as(ADVISER).submitClaim(submit(byHand))).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(db.getCollection("outbox").countDocuments()).isEqualTo(queued);
        drain();
        assertThat(DWP.served()).isEmpty();
    }

    @Test
    void dwpTroubleIsRetriedUntilOneSubmissionIsAccepted() {
        Fault[] faults = {Fault.CONNECTION_RESET_BY_PEER, null, null};
        for (int round = 0; round < faults.length; round++) {
            DWP.reset();
            var failing = aResponse();
            if (faults[round] != null) {
                failing = failing.withFault(faults[round]);
            } else if (round == 1) {
                failing = failing.withStatus(503).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Unavailable\",\"status\":503}");
            } else {
                failing = failing.withStatus(202).withHeader("Content-Type", "application/json").withBody("{\"claimId\":");
            }
            DWP.stubFor(post(urlPathEqualTo("/dwp/claims")).atPriority(1).willReturn(failing));
            Claim opened = open(consentingPerson());
            as(ADVISER).submitClaim(submit(opened));
            drain();
            String key = "claim-" + id(opened);
            assertThat(sentWithKey(key)).as("round %d tried", round).isNotEmpty();
            assertThat(read(opened).getDwpClaimId()).as("round %d not yet received", round).isEmpty();

            DWP.reset();
            stubAccepting();
            retryFor(Duration.ofMinutes(10));
            assertThat(acceptedWithKey(key)).as("round %d accepted once", round).hasSize(1);
            assertThat(read(opened).getDwpClaimId()).isEqualTo("DWP-" + key);
            assertThat(outbox.byOrderingKey(OutboxClaimSubmissions.CHANNEL, opened.getName().split("/")[1]))
                    .extracting(OutboxMessage::status).map(Object::toString).containsExactly("DELIVERED");
        }
    }

    @Autowired
    MeterRegistry meters;
    @Autowired
    ClaimSubmissionHandler handler;

    /**
     * Every fault in turn, then a 30-minute outage on the controllable clock, then back: every claim
     * reaches DWP under exactly one key, each key accepted once (what DWP would hold after
     * deduplicating), the breaker opened and closed (metrics), and the service's own API answered
     * throughout (p99 printed, not asserted: timings on a shared machine are noise).
     */
    @Test
    void dwpFaultsLoseNothingAndDuplicateNothing() throws Exception {
        double opened = transitions("CLOSED", "OPEN");
        double closed = transitions("HALF_OPEN", "CLOSED");
        drain(); // whatever earlier tests left due goes first
        long deliveredBefore = outbox.countByStatus(OutboxClaimSubmissions.CHANNEL, OutboxStatus.DELIVERED);
        List<Claim> submitted = new ArrayList<>();
        List<Long> apiNanos = new ArrayList<>();
        for (PartnerFault fault : PartnerFault.values()) {
            DWP.reset();
            DWP.failWith(post(urlPathEqualTo("/dwp/claims")), fault, 202);
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                Claim made = open(consentingPerson());
                submitted.add(as(ADVISER).submitClaim(submit(made)));
                apiNanos.add(System.nanoTime() - t);
            }
            // a delivery pass while DWP fails, API calls alongside it
            PartnerFaults.deliveryPassWithApiCallsAlongside(dispatcher::runOnce, () -> read(submitted.getLast()), apiNanos);
            CLOCK.advance(Duration.ofSeconds(30));
        }
        assertThat(outbox.countByStatus(OutboxClaimSubmissions.CHANNEL, OutboxStatus.DELIVERED))
                .as("nothing delivered while DWP failed").isEqualTo(deliveredBefore);

        // down for 30 minutes, the dispatcher polling every 10 s
        DWP.downFor(post(urlPathEqualTo("/dwp/claims")), Duration.ofMinutes(30), Duration.ofSeconds(10), CLOCK, dispatcher::runOnce);
        assertThat(transitions("CLOSED", "OPEN")).as("breaker opened").isGreaterThan(opened);
        long attemptsWhileDown = DWP.served().size();

        // back: within the next backoff (at most 5 min) everything is delivered once
        DWP.reset();
        stubAccepting();
        PartnerFaults.untilNothingPending(() -> outbox.countByStatus(OutboxClaimSubmissions.CHANNEL, OutboxStatus.PENDING) > 0,
                60, Duration.ofSeconds(10), CLOCK, this::drain);
        assertThat(transitions("HALF_OPEN", "CLOSED")).as("breaker closed again").isGreaterThan(closed);
        assertThat(PartnerFaults.breakerState(meters, "dwp-claims")).isZero();

        Map<String, Set<String>> keysByClaim = acceptedKeysByClaim();
        Set<String> ids = new HashSet<>(submitted.stream().map(ClaimSubmissionDeliveryTest::id).toList());
        assertThat(keysByClaim.keySet()).as("0 claims lost").containsAll(ids);
        keysByClaim.forEach((claim, keys) -> assertThat(keys).as("0 duplicates: one key per claim").hasSize(1));
        for (Claim c : submitted) {
            assertThat(read(c).getDwpClaimId()).isEqualTo("DWP-claim-" + id(c));
        }
        System.out.printf("[fault test] %d API calls while DWP failed: %s; "
                        + "%d DWP requests during the 30-minute outage (breaker open for most of it)%n",
                apiNanos.size(), PartnerFaults.latencies(apiNanos), attemptsWhileDown);
    }

    /** A process dies mid-delivery (after DWP received the claim): a new one delivers it again, under the same key. */
    @Test
    void aRestartMidDeliveryLosesNothing() throws Exception {
        Claim opened = open(consentingPerson());
        as(ADVISER).submitClaim(submit(opened));
        String personId = opened.getName().split("/")[1];
        try (var dying = DyingProcess.start(db, CLOCK, OutboxClaimSubmissions.CHANNEL,
                message -> api.submit(message.idempotencyKey(), message.payload()))) {
            assertThat(dying.partnerReceived()).isTrue();
            assertThat(outbox.byOrderingKey(OutboxClaimSubmissions.CHANNEL, personId))
                    .extracting(OutboxMessage::status).containsExactly(OutboxStatus.IN_FLIGHT);
            assertThat(read(opened).getDwpClaimId()).isEmpty();

            OutboxDispatcher restarted = dying.restartedAfterTheLease(db, CLOCK, handler);
            assertThat(restarted.runOnce()).isGreaterThanOrEqualTo(1);
            assertThat(outbox.byOrderingKey(OutboxClaimSubmissions.CHANNEL, personId))
                    .extracting(OutboxMessage::status).containsExactly(OutboxStatus.DELIVERED);
        }
        // sent twice under the same key: DWP keeps one claim
        assertThat(sentWithKey("claim-" + id(opened))).hasSize(2);
        assertThat(acceptedKeysByClaim().get(id(opened))).containsExactly("claim-" + id(opened));
        assertThat(read(opened).getDwpClaimId()).isEqualTo("DWP-claim-" + id(opened));
    }

    /** Claim reference → the idempotency keys DWP answered 2xx with a claim to (what it would hold). */
    private static Map<String, Set<String>> acceptedKeysByClaim() {
        Map<String, Set<String>> out = new HashMap<>();
        for (ServeEvent e : DWP.served()) {
            if (e.getResponse().getStatus() / 100 == 2 && e.getResponse().getBodyAsString().startsWith("{\"claimId\":\"")) {
                @SuppressWarnings("unchecked")
                var body = (Map<String, Object>) PartnerContract.json(e.getRequest().getBodyAsString());
                if (body.get("claimReference") instanceof String ref) {
                    out.computeIfAbsent(ref, k -> new HashSet<>()).add(e.getRequest().getHeader("Idempotency-Key"));
                }
            }
        }
        return out;
    }

    private double transitions(String from, String to) {
        return PartnerFaults.transitions(meters, "dwp-claims", from, to);
    }

    static List<String> fields(StatusRuntimeException e) {
        var status = io.grpc.protobuf.StatusProto.fromThrowable(e);
        return status.getDetailsList().stream().filter(d -> d.is(com.google.rpc.BadRequest.class)).flatMap(d -> {
            try {
                return d.unpack(com.google.rpc.BadRequest.class).getFieldViolationsList().stream().map(f -> f.getField());
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new AssertionError(x);
            }
        }).toList();
    }
}
