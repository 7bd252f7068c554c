package bridge.housing.partner;

import static bridge.housing.api.HousingTestCalls.catchStatus;
import static bridge.housing.api.HousingTestCalls.fields;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.housing.HousingLiaisonApplication;
import bridge.proto.housing.v1.CreateDutyToReferNoticeRequest;
import bridge.proto.common.v1.DeadLetter;
import bridge.proto.common.v1.ListDeadLettersRequest;
import bridge.proto.common.v1.ReplayDeadLetterRequest;
import bridge.proto.housing.v1.DutyToReferNotice;
import bridge.proto.housing.v1.GetDutyToReferNoticeRequest;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.proto.housing.v1.NoticeStatus;
import bridge.support.consent.DataCategory;
import bridge.support.grpc.ProtoMapping;
import bridge.support.mongo.Ids;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxDispatcher;
import bridge.support.outbox.OutboxMessage;
import bridge.support.outbox.OutboxStatus;
import bridge.support.time.MutableClock;
import bridge.support.partner.PartnerContract;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import bridge.support.partner.PartnerFaults;
import bridge.support.partner.PartnerFaults.PartnerFault;
import bridge.support.partner.PartnerFaults.DyingProcess;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
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
 * Duty to refer end to end inside the service: consent and authority checks, the notice written
 * then delivered through the outbox to a WireMock authority, status polled; and the same under
 * partner faults (reset, 500/503, hang past the deadline, malformed body, a 30-minute outage on the
 * controllable clock, a restart mid-delivery): nothing lost, nothing accepted twice, the breaker
 * opening and closing in the metrics, the service's own API answering meanwhile.
 */
@SpringBootTest(classes = {HousingLiaisonApplication.class, ServiceTestBeans.class, DutyToReferDeliveryTest.Beans.class},
        properties = {"spring.config.name=housing-liaison", "spring.grpc.server.inprocess.name=housing-dtr-test",
                "bridge.mongodb.database=housing-dtr-test", "bridge.housing.outbox.poll-interval=0",
                "bridge.housing.notice-status.poll-interval=0", "bridge.housing.authority-api.deadline=2s"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DutyToReferDeliveryTest {

    static final PartnerFaults AUTHORITY = PartnerFaults.start();
    static final MutableClock CLOCK = new MutableClock(Instant.now());

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
        registry.add("bridge.housing.authority-api.base-url", () -> AUTHORITY.baseUrl() + "/housing-authority");
    }

    private static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");
    private static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "options-officer", "worker");
    private static final String OPERATOR = TestTokens.token("bridge-platform", "PLATFORM", "operator", "platform-operator");
    private static final String PLATFORM_WITHOUT_ROLE = TestTokens.token("bridge-platform", "PLATFORM", "someone");
    private static final String SUBMIT = "/housing-authority/authorities/[A-Z0-9]+/duty-to-refer-notices";
    private static final PartnerContract CONTRACT = PartnerContract.load("partner-api/housing-authority-duty-to-refer.yaml");

    private final ManagedChannel channel = InProcessChannelBuilder.forName("housing-dtr-test").directExecutor().build();

    @Autowired
    MongoDatabase db;
    @Autowired
    FakeConsentDecisions consent;
    @Autowired
    OutboxDispatcher dispatcher;
    @Autowired
    Outbox outbox;
    @Autowired
    NoticeStatusPoller poller;
    @Autowired
    DutyToReferHandler handler;
    @Autowired
    MeterRegistry meters;

    @Autowired
    HousingAuthorityApi api;

    /** The first calls of a cold JVM (HTTP client, WireMock) can outlast a deadline on a busy machine. */
    @org.junit.jupiter.api.BeforeAll
    void warmUp() {
        for (int i = 0; i < 5; i++) {
            api.status("E08000035", "warm-up");
        }
    }

    @BeforeEach
    void healthyAuthority() {
        AUTHORITY.reset();
        stubAccepting();
    }

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        AUTHORITY.close();
    }

    /** A well authority: 201 with a notice id derived from the key (the same key names the same notice). */
    private static void stubAccepting() {
        AUTHORITY.stubFor(post(urlPathMatching(SUBMIT)).atPriority(5).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"noticeId\":\"LA-{{request.headers.Idempotency-Key}}\",\"status\":\"RECEIVED\",\"receivedAt\":\"{{now}}\"}")
                .withTransformers("response-template")));
    }

    private HousingLiaisonServiceGrpc.HousingLiaisonServiceBlockingStub as(String token) {
        return HousingLiaisonServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private String consentingPerson() {
        String personId = Ids.next();
        consent.grant("hmp-leeds", personId, DataCategory.REFERRALS, DataCategory.CONTACT);
        return personId;
    }

    private static CreateDutyToReferNoticeRequest notice(String personId, String authority) {
        return CreateDutyToReferNoticeRequest.newBuilder().setParent("people/" + personId)
                .setDutyToReferNotice(DutyToReferNotice.newBuilder().setAuthorityCode(authority)
                        .setReason("Released from HMP Leeds with no accommodation.")
                        .setExpectedHomelessDate(ProtoMapping.date(LocalDate.now(ZoneId.of("Europe/London")).plusDays(10)))
                        .setContactPhone("07700 900123"))
                .build();
    }

    private DutyToReferNotice read(DutyToReferNotice n) {
        return as(PRISON).getDutyToReferNotice(GetDutyToReferNoticeRequest.newBuilder().setName(n.getName()).build());
    }

    private static String id(DutyToReferNotice n) {
        return n.getName().substring(n.getName().lastIndexOf('/') + 1);
    }

    /** Runs the dispatcher until nothing is due now. */
    private void drain() {
        for (int i = 0; i < 50 && dispatcher.runOnce() > 0; i++) {
            // keep going: a key's next message becomes due when the one before it is delivered
        }
    }

    @Test
    void aNoticeIsWrittenThenDeliveredWithItsKeyAndItsProgressFollowed() {
        String personId = consentingPerson();
        DutyToReferNotice created = as(PRISON).createDutyToReferNotice(notice(personId, "E08000035"));
        assertThat(created.getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_QUEUED);
        assertThat(created.getAuthorityName()).isEqualTo("Leeds City Council");
        assertThat(AUTHORITY.served()).as("written first, delivered after").isEmpty();

        drain();
        List<ServeEvent> sent = sentWithKey("dtr-" + id(created));
        assertThat(sent).hasSize(1);
        var request = sent.getFirst().getRequest();
        assertThat(request.getUrl()).isEqualTo("/housing-authority/authorities/E08000035/duty-to-refer-notices");
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("dtr-" + id(created));
        assertThat(CONTRACT.checkRequest("submitNotice", Map.of("Idempotency-Key", request.getHeader("Idempotency-Key")),
                request.getBodyAsString())).isEmpty();
        DutyToReferNotice delivered = read(created);
        assertThat(delivered.getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_SENT);
        assertThat(delivered.getAuthorityNoticeId()).isEqualTo("LA-dtr-" + id(created));

        // the authority reports progress; a poll records it once, a repeated poll changes nothing
        AUTHORITY.stubFor(get(urlPathMatching(SUBMIT + "/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"noticeId\":\"LA-dtr-" + id(created) + "\",\"status\":\"OUTCOME\",\"outcome\":\"RELIEF_DUTY_ACCEPTED\","
                        + "\"receivedAt\":\"2026-11-20T10:00:00Z\"}")));
        assertThat(poller.runOnce(1000)).isGreaterThanOrEqualTo(1);
        DutyToReferNotice decided = read(created);
        assertThat(decided.getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_OUTCOME);
        assertThat(decided.getOutcome()).isEqualTo("RELIEF_DUTY_ACCEPTED");
        assertThat(decided.getHistoryList()).extracting(h -> h.getStatus()).containsExactly(NoticeStatus.NOTICE_STATUS_QUEUED,
                NoticeStatus.NOTICE_STATUS_SENT, NoticeStatus.NOTICE_STATUS_OUTCOME);
        poller.runOnce(1000);
        assertThat(read(created).getHistoryCount()).isEqualTo(3);
    }

    @Test
    void aRetriedCreateMakesOneNoticeAndOneDelivery() {
        String personId = consentingPerson();
        CreateDutyToReferNoticeRequest request = notice(personId, "E08000032").toBuilder().setRequestId("dtr-retry-1").build();
        DutyToReferNotice first = as(PRISON).createDutyToReferNotice(request);
        assertThat(as(PRISON).createDutyToReferNotice(request)).isEqualTo(first);
        assertThat(outbox.byOrderingKey(OutboxNoticeDeliveries.CHANNEL, personId)).hasSize(1);
        drain();
        assertThat(sentWithKey("dtr-" + id(first))).hasSize(1);
    }

    @Test
    void withoutConsentOrToAnUnknownAuthorityNothingIsWrittenOrSent() {
        String personId = Ids.next();
        long notices = db.getCollection("dutyToReferNotices").countDocuments();
        long queued = db.getCollection("outbox").countDocuments();
        var noConsent = catchStatus(() -> as(PRISON).createDutyToReferNotice(notice(personId, "E08000035")));
        assertThat(noConsent.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(noConsent.getStatus().getDescription()).contains("consent to the referral").contains("contact details");
        consent.grant("hmp-leeds", personId, DataCategory.REFERRALS);
        var noContactConsent = catchStatus(() -> as(PRISON).createDutyToReferNotice(notice(personId, "E08000035")));
        assertThat(noContactConsent.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(noContactConsent.getStatus().getDescription()).doesNotContain("consent to the referral").contains("contact details");

        consent.grant("hmp-leeds", personId, DataCategory.REFERRALS, DataCategory.CONTACT);
        assertThat(fields(catchStatus(() -> as(PRISON).createDutyToReferNotice(notice(personId, "E09999999")))))
                .containsExactly("duty_to_refer_notice.authority_code");
        assertThat(fields(catchStatus(() -> as(PRISON).createDutyToReferNotice(notice(personId, "E08000035").toBuilder()
                .setDutyToReferNotice(notice(personId, "E08000035").getDutyToReferNotice().toBuilder()
                        .clearContactPhone().setReason("")).build()))))
                .containsExactly("duty_to_refer_notice.reason", "duty_to_refer_notice.contact_phone");
        assertThat(db.getCollection("dutyToReferNotices").countDocuments()).isEqualTo(notices);
        assertThat(db.getCollection("outbox").countDocuments()).isEqualTo(queued);
        assertThat(AUTHORITY.served()).isEmpty();
    }

    @Test
    void anotherAgencySeesTheNoticeOnlyUnderAReferralsDecision() {
        DutyToReferNotice created = as(PRISON).createDutyToReferNotice(notice(consentingPerson(), "E08000035"));
        GetDutyToReferNoticeRequest get = GetDutyToReferNoticeRequest.newBuilder().setName(created.getName()).build();
        assertThat(catchStatus(() -> as(HOUSING).getDutyToReferNotice(get)).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        String personId = created.getName().split("/")[1];
        consent.grant("leeds-housing", personId, DataCategory.REFERRALS);
        assertThat(as(HOUSING).getDutyToReferNotice(get).getName()).isEqualTo(created.getName());
    }

    @Test
    void aRefusalMakesTheNoticeUndeliverableAndADeadLetterAtOnceWhichAnOperatorReplays() {
        AUTHORITY.stubFor(post(urlPathMatching(SUBMIT)).atPriority(1).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"title\":\"Unprocessable\",\"status\":422}")));
        DutyToReferNotice created = as(PRISON).createDutyToReferNotice(notice(consentingPerson(), "E08000036"));
        drain();
        assertThat(read(created).getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_UNDELIVERABLE);
        assertThat(outbox.deadLetters(OutboxNoticeDeliveries.CHANNEL, 1000)).extracting(OutboxMessage::idempotencyKey)
                .contains("dtr-" + id(created));
        assertThat(sentWithKey("dtr-" + id(created))).hasSize(1);

        // an operator sees the dead letter (routing and error, no notice content) and replays it once fixed
        var letters = as(OPERATOR).listDeadLetters(ListDeadLettersRequest.getDefaultInstance()).getDeadLettersList();
        DeadLetter letter = letters.stream().filter(l -> l.getIdempotencyKey().equals("dtr-" + id(created))).findFirst().orElseThrow();
        assertThat(letter.getLastError()).startsWith("rejected: HTTP 422");
        assertThat(letter.getAttributesMap()).containsEntry("authorityCode", "E08000036");
        assertThat(letter.toString()).doesNotContain("07700").doesNotContain("Released from");
        assertThat(catchStatus(() -> as(PRISON).listDeadLetters(ListDeadLettersRequest.getDefaultInstance()))
                .getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(catchStatus(() -> as(PLATFORM_WITHOUT_ROLE).replayDeadLetter(ReplayDeadLetterRequest.newBuilder()
                .setName(letter.getName()).build())).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        AUTHORITY.reset();
        stubAccepting();
        DeadLetter replayed = as(OPERATOR).replayDeadLetter(ReplayDeadLetterRequest.newBuilder().setName(letter.getName()).build());
        assertThat(replayed.getState()).isEqualTo("PENDING");
        assertThat(read(created).getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_QUEUED);
        assertThat(catchStatus(() -> as(OPERATOR).replayDeadLetter(ReplayDeadLetterRequest.newBuilder()
                .setName(letter.getName()).build())).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        drain();
        assertThat(read(created).getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_SENT);
        assertThat(sentWithKey("dtr-" + id(created))).hasSize(1);
        assertThat(catchStatus(() -> as(OPERATOR).replayDeadLetter(ReplayDeadLetterRequest.newBuilder()
                .setName("housing/deadLetters/" + Ids.next()).build())).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    /**
     * Every fault in turn, then a 30-minute outage on the controllable clock, then back: every notice
     * reaches the authority under exactly one key, each key accepted once (the count the authority
     * would hold after deduplicating), the breaker opened and closed (metrics), and the service's
     * own API answered throughout (p99 printed, not asserted: timings on a shared machine are noise).
     */
    @Test
    void partnerFaultsLoseNothingAndDuplicateNothing() throws Exception {
        double opened = transitions("CLOSED", "OPEN");
        double closed = transitions("HALF_OPEN", "CLOSED");
        drain(); // whatever earlier tests left due goes first
        long deliveredBefore = outbox.countByStatus(OutboxNoticeDeliveries.CHANNEL, OutboxStatus.DELIVERED);
        List<DutyToReferNotice> created = new ArrayList<>();
        List<Long> apiNanos = new ArrayList<>();
        for (PartnerFault fault : PartnerFault.values()) {
            AUTHORITY.reset();
            AUTHORITY.failWith(post(urlPathMatching(SUBMIT)), fault, 201);
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                created.add(as(PRISON).createDutyToReferNotice(notice(consentingPerson(), "E08000035")));
                apiNanos.add(System.nanoTime() - t);
            }
            // a delivery pass while the partner fails, API calls alongside it
            PartnerFaults.deliveryPassWithApiCallsAlongside(dispatcher::runOnce, () -> read(created.getLast()), apiNanos);
            CLOCK.advance(Duration.ofSeconds(30));
        }
        assertThat(outbox.countByStatus(OutboxNoticeDeliveries.CHANNEL, OutboxStatus.DELIVERED))
                .as("nothing delivered while the partner failed").isEqualTo(deliveredBefore);

        // down for 30 minutes (connection refused at the partner's door), dispatcher polling every 10 s
        AUTHORITY.downFor(post(urlPathMatching(SUBMIT)), Duration.ofMinutes(30), Duration.ofSeconds(10), CLOCK, dispatcher::runOnce);
        assertThat(transitions("CLOSED", "OPEN")).as("breaker opened").isGreaterThan(opened);
        long attemptsWhileDown = AUTHORITY.served().size();

        // back: within the next backoff (at most 5 min) everything is delivered once
        AUTHORITY.reset();
        stubAccepting();
        PartnerFaults.untilNothingPending(() -> outbox.countByStatus(OutboxNoticeDeliveries.CHANNEL, OutboxStatus.PENDING) > 0,
                60, Duration.ofSeconds(10), CLOCK, this::drain);
        assertThat(transitions("HALF_OPEN", "CLOSED")).as("breaker closed again").isGreaterThan(closed);
        assertThat(PartnerFaults.breakerState(meters, "housing-authority")).isZero();

        Map<String, Set<String>> keysByNotice = acceptedKeysByNotice();
        Set<String> ids = new HashSet<>(created.stream().map(DutyToReferDeliveryTest::id).toList());
        assertThat(keysByNotice.keySet()).as("0 notices lost").containsAll(ids);
        keysByNotice.forEach((notice, keys) -> assertThat(keys).as("0 duplicates: one key per notice").hasSize(1));
        for (DutyToReferNotice n : created) {
            assertThat(read(n).getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_SENT);
        }
        System.out.printf("[fault test] %d API calls while the authority failed: %s; "
                        + "%d partner requests during the 30-minute outage (breaker open for most of it)%n",
                apiNanos.size(), PartnerFaults.latencies(apiNanos), attemptsWhileDown);
    }

    /** A process dies mid-delivery (after the authority received the notice): a new one delivers it again, once. */
    @Test
    void aRestartMidDeliveryLosesNothing() throws Exception {
        DutyToReferNotice created = as(PRISON).createDutyToReferNotice(notice(consentingPerson(), "E06000014"));
        try (var dying = DyingProcess.start(db, CLOCK, OutboxNoticeDeliveries.CHANNEL, handler::deliver)) {
            assertThat(dying.partnerReceived()).isTrue();
            assertThat(outbox.byOrderingKey(OutboxNoticeDeliveries.CHANNEL, created.getName().split("/")[1]))
                    .extracting(OutboxMessage::status).containsExactly(OutboxStatus.IN_FLIGHT);

            OutboxDispatcher restarted = dying.restartedAfterTheLease(db, CLOCK, handler);
            assertThat(restarted.runOnce()).isGreaterThanOrEqualTo(1);
            assertThat(outbox.byOrderingKey(OutboxNoticeDeliveries.CHANNEL, created.getName().split("/")[1]))
                    .extracting(OutboxMessage::status).containsExactly(OutboxStatus.DELIVERED);
        }
        // sent twice under the same key: the authority keeps one notice
        assertThat(sentWithKey("dtr-" + id(created))).hasSize(2);
        assertThat(read(created).getStatus()).isEqualTo(NoticeStatus.NOTICE_STATUS_SENT);
    }

    private static List<ServeEvent> sentWithKey(String key) {
        return AUTHORITY.sentWithKey(key);
    }

    /** Notice reference → the idempotency keys the authority answered 201 to (what it would hold). */
    private static Map<String, Set<String>> acceptedKeysByNotice() {
        Map<String, Set<String>> out = new HashMap<>();
        for (ServeEvent e : AUTHORITY.served()) {
            if (e.getResponse().getStatus() == 201 && e.getResponse().getBodyAsString().startsWith("{")) {
                @SuppressWarnings("unchecked")
                var body = (Map<String, Object>) PartnerContract.json(e.getRequest().getBodyAsString());
                out.computeIfAbsent((String) body.get("referenceId"), k -> new HashSet<>())
                        .add(e.getRequest().getHeader("Idempotency-Key"));
            }
        }
        return out;
    }

    private double transitions(String from, String to) {
        return PartnerFaults.transitions(meters, "housing-authority", from, to);
    }
}
