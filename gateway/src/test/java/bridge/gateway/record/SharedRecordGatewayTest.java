package bridge.gateway.record;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.GatewayApplication;
import bridge.gateway.grpc.Backends;
import bridge.gateway.grpc.UnaryCaller;
import bridge.proto.benefits.v1.Benefit;
import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.Claim;
import bridge.proto.benefits.v1.ListClaimsRequest;
import bridge.proto.benefits.v1.ListClaimsResponse;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.IssueDecisionSetRequest;
import bridge.proto.consent.v1.SignedDecisionSet;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.proto.consent.v1.ListConsentsResponse;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.proto.housing.v1.HousingSituation;
import bridge.proto.housing.v1.HousingStatus;
import bridge.proto.housing.v1.ListHousingSituationsRequest;
import bridge.proto.housing.v1.ListHousingSituationsResponse;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonName;
import bridge.proto.record.v1.SharedRecord;
import bridge.proto.record.v1.SharedRecordPart;
import bridge.proto.record.v1.SharedRecordPart.Source;
import bridge.proto.record.v1.SharedRecordPart.State;
import bridge.proto.referrals.v1.ListReferralsRequest;
import bridge.proto.referrals.v1.ListReferralsResponse;
import bridge.proto.referrals.v1.Referral;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/people/{person}/sharedRecord} through the gateway's HTTP endpoint, with fake
 * backends: five Netty gRPC servers, one per service, each implementing the one RPC the shared
 * record calls. Each fake records when a call started and ended, what metadata and request it got,
 * and can be told to be slow, fail with a status, hang, or (by stopping its server) be down.
 * Token validation is a fixed decoder; the end-to-end suite uses real Keycloak and real services.
 */
@SpringBootTest(classes = {GatewayApplication.class, SharedRecordGatewayTest.TestTokens.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=gateway", "spring.main.allow-bean-definition-overriding=true",
                "bridge.gateway.access-log=false", "bridge.gateway.shared-record.part-deadline=1s"})
class SharedRecordGatewayTest {

    static final String PERSON_ID = "abcdefghijkmnpqrstu2";
    static final String PARENT = "people/" + PERSON_ID;
    static final String PATH = "/v1/" + PARENT + "/sharedRecord";
    static final Duration PART_DEADLINE = Duration.ofSeconds(1);

    static final Metadata.Key<String> AUTH = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String[]> METADATA = Context.key("fake-metadata");
    static final Context.Key<byte[]> DECISION_SET = Context.key("fake-decision-set");
    /** What the consent fake signed for each shared record (its IssueDecisionSet), and whether it refuses. */
    static final List<IssueDecisionSetRequest> ISSUED = new CopyOnWriteArrayList<>();
    static volatile boolean issueFails;

    /** What one fake saw of one call. {@code endNanos} is when it answered (0 if it never did). */
    record Seen(long startNanos, long endNanos, String authorization, String requestId, Message request,
                byte[] decisionSet) {
    }

    /** One fake service: how it should behave in the current test, and what it saw. */
    static final class Fake {
        final Source source;
        final String grpcService;
        volatile long delayMillis;
        volatile com.google.rpc.Status failure;
        volatile boolean hang;
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final AtomicInteger cancelled = new AtomicInteger();
        BindableService service;
        Server server;
        int port;

        Fake(Source source, String grpcService) {
            this.source = source;
            this.grpcService = grpcService;
        }

        void reset() {
            delayMillis = 0;
            failure = null;
            hang = false;
            seen.clear();
            cancelled.set(0);
        }

        <R> void serve(Message request, StreamObserver<R> out, Supplier<R> reply) {
            long start = System.nanoTime();
            String[] md = METADATA.get();
            if (hang) {
                Context.current().addListener(ctx -> cancelled.incrementAndGet(), Runnable::run);
                seen.add(new Seen(start, 0, md[0], md[1], request, DECISION_SET.get()));
                return; // never answers: the caller's deadline must end it
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            seen.add(new Seen(start, System.nanoTime(), md[0], md[1], request, DECISION_SET.get()));
            com.google.rpc.Status f = failure;
            if (f != null) {
                out.onError(StatusProto.toStatusRuntimeException(f));
            } else {
                out.onNext(reply.get());
                out.onCompleted();
            }
        }

        void start() {
            ServerInterceptor capture = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                                  ServerCallHandler<Q, R> next) {
                    String[] md = {headers.get(AUTH), headers.get(RID)};
                    return Contexts.interceptCall(Context.current().withValue(METADATA, md)
                            .withValue(DECISION_SET, headers.get(UnaryCaller.DECISION_SET)), call, headers, next);
                }
            };
            try {
                server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                        .addService(ServerInterceptors.intercept(service, capture)).build().start();
                port = server.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void stop() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static final Fake PEOPLE = new Fake(Source.SOURCE_PEOPLE_DIRECTORY, "bridge.people.v1.PeopleDirectoryService");
    static final Fake HOUSING = new Fake(Source.SOURCE_HOUSING_LIAISON, "bridge.housing.v1.HousingLiaisonService");
    static final Fake BENEFITS = new Fake(Source.SOURCE_BENEFITS_LIAISON, "bridge.benefits.v1.BenefitsLiaisonService");
    static final Fake REFERRALS = new Fake(Source.SOURCE_REFERRALS, "bridge.referrals.v1.ReferralService");
    static final Fake CONSENT = new Fake(Source.SOURCE_CONSENT, "bridge.consent.v1.ConsentService");
    static final List<Fake> ALL = List.of(PEOPLE, HOUSING, BENEFITS, REFERRALS, CONSENT);

    static {
        PEOPLE.service = new PeopleDirectoryServiceGrpc.PeopleDirectoryServiceImplBase() {
            @Override
            public void getPerson(GetPersonRequest request, StreamObserver<Person> out) {
                String id = request.getName().substring(request.getName().indexOf('/') + 1);
                if (id.length() != 20) {
                    out.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                            .setCode(Status.Code.INVALID_ARGUMENT.value()).setMessage("name: malformed")
                            .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation
                                    .newBuilder().setField("name").setDescription("must be people/{id}")).build()))
                            .build()));
                    return;
                }
                PEOPLE.serve(request, out, () -> Person.newBuilder().setName(request.getName())
                        .setPreferredName(PersonName.newBuilder().setGivenNames("Alex").setFamilyName("Morgan"))
                        .addWithheldCategories(DataCategory.DATA_CATEGORY_CONTACT).build());
            }
        };
        HOUSING.service = new HousingLiaisonServiceGrpc.HousingLiaisonServiceImplBase() {
            @Override
            public void listHousingSituations(ListHousingSituationsRequest request,
                                              StreamObserver<ListHousingSituationsResponse> out) {
                HOUSING.serve(request, out, () -> ListHousingSituationsResponse.newBuilder()
                        .addHousingSituations(HousingSituation.newBuilder().setName(request.getParent()
                                + "/housingSituations/h1").setStatus(HousingStatus.HOUSING_STATUS_HOSTEL))
                        .addWithheldCategories(DataCategory.DATA_CATEGORY_HOUSING)
                        .setNextPageToken("more-situations").build());
            }
        };
        BENEFITS.service = new BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceImplBase() {
            @Override
            public void listClaims(ListClaimsRequest request, StreamObserver<ListClaimsResponse> out) {
                BENEFITS.serve(request, out, () -> ListClaimsResponse.newBuilder()
                        .addClaims(Claim.newBuilder().setName(request.getParent() + "/claims/c1")
                                .setBenefit(Benefit.BENEFIT_UNIVERSAL_CREDIT))
                        .addWithheldCategories(DataCategory.DATA_CATEGORY_BENEFITS).build());
            }
        };
        REFERRALS.service = new ReferralServiceGrpc.ReferralServiceImplBase() {
            @Override
            public void listReferrals(ListReferralsRequest request, StreamObserver<ListReferralsResponse> out) {
                REFERRALS.serve(request, out, () -> ListReferralsResponse.newBuilder()
                        .addReferrals(Referral.newBuilder().setName("referrals/r1").setPerson(request.getParent())
                                .setPerformerAgency("forward-leeds"))
                        // HOUSING again: the record names each withheld category once
                        .addWithheldCategories(DataCategory.DATA_CATEGORY_REFERRALS)
                        .addWithheldCategories(DataCategory.DATA_CATEGORY_HOUSING).build());
            }
        };
        CONSENT.service = new ConsentServiceGrpc.ConsentServiceImplBase() {
            @Override
            public void issueDecisionSet(IssueDecisionSetRequest request, StreamObserver<SignedDecisionSet> out) {
                ISSUED.add(request);
                if (issueFails) {
                    out.onError(Status.UNAVAILABLE.withDescription("consent store down").asRuntimeException());
                    return;
                }
                out.onNext(SIGNED);
                out.onCompleted();
            }

            @Override
            public void listConsents(ListConsentsRequest request, StreamObserver<ListConsentsResponse> out) {
                CONSENT.serve(request, out, () -> ListConsentsResponse.newBuilder()
                        .addConsents(Consent.newBuilder().setName(request.getParent() + "/consents/k1")
                                .addCategories(DataCategory.DATA_CATEGORY_HOUSING)).build());
            }
        };
        ALL.forEach(Fake::start);
    }

    @TestConfiguration
    static class TestTokens {
        @Bean
        @Primary
        ReactiveJwtDecoder jwtDecoder() {
            return token -> token.equals("good-token")
                    ? Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("u")
                            .claim("agency_id", "north-probation").claim("agency_type", "PROBATION")
                            .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build())
                    : Mono.error(new BadJwtException("bad token"));
        }
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        for (Fake f : ALL) {
            String pkg = f.grpcService.substring(0, f.grpcService.lastIndexOf('.'));
            registry.add("bridge.gateway.backends[" + pkg + "]", () -> "127.0.0.1:" + f.port);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Backends backends;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CircuitBreakerRegistry breakers;

    @AfterEach
    void reset() {
        decisionSetBreaker().reset();
        ISSUED.clear();
        issueFails = false;
        for (Fake f : ALL) {
            f.reset();
            backends.forService(f.grpcService).orElseThrow().breaker().reset();
        }
    }

    @AfterAll
    static void stopFakes() throws InterruptedException {
        for (Fake f : ALL) {
            f.stop();
        }
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(15))
                .defaultHeader("Authorization", "Bearer good-token").build();
    }

    private EntityExchangeResult<byte[]> get(String uri, int status) {
        return client().get().uri(uri).exchange().expectStatus().isEqualTo(status).expectBody().returnResult();
    }

    private static SharedRecord parse(EntityExchangeResult<byte[]> result) {
        SharedRecord.Builder b = SharedRecord.newBuilder();
        try {
            JsonFormat.parser().merge(body(result), b);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return b.build();
    }

    private static String body(EntityExchangeResult<byte[]> result) {
        return new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
    }

    private static Map<Source, State> states(SharedRecord record) {
        Map<Source, State> out = new EnumMap<>(Source.class);
        record.getPartsList().forEach(p -> out.put(p.getSource(), p.getState()));
        return out;
    }

    private static Map<Source, State> allOkBut(Source source, State state) {
        Map<Source, State> out = new EnumMap<>(Source.class);
        for (Fake f : ALL) {
            out.put(f.source, f.source == source ? state : State.STATE_OK);
        }
        return out;
    }

    private static com.google.rpc.Status status(Status.Code code, String message, String reason) {
        return com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("bridge.platform").build()))
                .build();
    }

    @Test
    void composesEveryPartForTheCallerInOneAnswer() {
        EntityExchangeResult<byte[]> result = client().get().uri(PATH).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.name").isEqualTo(PARENT + "/sharedRecord")
                .jsonPath("$.person.preferredName.givenNames").isEqualTo("Alex")
                .jsonPath("$.housingSituations[0].status").isEqualTo("HOUSING_STATUS_HOSTEL")
                .jsonPath("$.claims[0].benefit").isEqualTo("BENEFIT_UNIVERSAL_CREDIT")
                .jsonPath("$.referrals[0].performerAgency").isEqualTo("forward-leeds")
                .jsonPath("$.consents[0].name").isEqualTo(PARENT + "/consents/k1")
                .jsonPath("$.parts[0].source").isEqualTo("SOURCE_PEOPLE_DIRECTORY")
                .jsonPath("$.parts[0].state").isEqualTo("STATE_OK")
                .returnResult();
        SharedRecord record = parse(result);
        assertThat(record.getPartsList()).extracting(SharedRecordPart::getSource).containsExactly(
                Source.SOURCE_PEOPLE_DIRECTORY, Source.SOURCE_HOUSING_LIAISON, Source.SOURCE_BENEFITS_LIAISON,
                Source.SOURCE_REFERRALS, Source.SOURCE_CONSENT);
        assertThat(record.getPartsList()).allMatch(p -> p.getState() == State.STATE_OK);
        // only housing said there is more than one page
        assertThat(record.getPartsList()).filteredOn(SharedRecordPart::getTruncated)
                .extracting(SharedRecordPart::getSource).containsExactly(Source.SOURCE_HOUSING_LIAISON);
        assertThat(record.getPerson().getName()).isEqualTo(PARENT);
        assertThat(record.getHousingSituationsList()).hasSize(1);
        assertThat(record.getClaimsList()).hasSize(1);
        assertThat(record.getReferralsList()).hasSize(1);
        assertThat(record.getConsentsList()).hasSize(1);
    }

    static final SignedDecisionSet SIGNED = SignedDecisionSet.newBuilder()
            .setDecisionSet(com.google.protobuf.ByteString.copyFromUtf8("decisions")).setKeyId("k")
            .setSignature(com.google.protobuf.ByteString.copyFromUtf8("signature")).build();

    @Test
    void oneDecisionSetForEveryCategoryIsAskedForOnceAndReachesEveryPart() {
        client().get().uri(PATH + "?purpose=PURPOSE_REFERRAL").header("X-Request-Id", "rid-set-1")
                .exchange().expectStatus().isOk();
        assertThat(ISSUED).singleElement().satisfies(r -> {
            assertThat(r.getPerson()).isEqualTo(PARENT);
            assertThat(r.getPurpose()).isEqualTo(Purpose.PURPOSE_REFERRAL);
            assertThat(r.getCategoriesList()).hasSize(12).doesNotHaveDuplicates()
                    .doesNotContain(DataCategory.DATA_CATEGORY_UNSPECIFIED);
        });
        for (Fake f : ALL) {
            assertThat(f.seen).as(f.source.name()).singleElement()
                    .satisfies(seen -> assertThat(seen.decisionSet()).isEqualTo(SIGNED.toByteArray()));
        }
        // the header bridge.support.grpc.DecisionSets reads (e2e DecisionSetTest sees the services use it)
        assertThat(UnaryCaller.DECISION_SET.name()).isEqualTo("bridge-decision-set-bin");
    }

    @Test
    void anUnspecifiedPurposeIsAskedForAsDirectSupportAsEveryServiceReadsIt() {
        get(PATH, 200);
        assertThat(ISSUED).singleElement().extracting(IssueDecisionSetRequest::getPurpose)
                .isEqualTo(Purpose.PURPOSE_DIRECT_SUPPORT);
    }

    @Test
    void withoutADecisionSetThePartsAreAskedAndEachServiceDecidesForItself() {
        issueFails = true;
        SharedRecord record = parse(get(PATH, 200));
        assertThat(record.getPartsList()).allMatch(p -> p.getState() == State.STATE_OK);
        for (Fake f : ALL) {
            assertThat(f.seen).as(f.source.name()).singleElement()
                    .satisfies(seen -> assertThat(seen.decisionSet()).isNull());
        }
    }

    @Test
    void withheldCategoriesOfEveryPartAreMergedByNameOnce() {
        SharedRecord record = parse(get(PATH, 200));
        // people: CONTACT; housing: HOUSING; benefits: BENEFITS; referrals: REFERRALS and HOUSING again
        assertThat(record.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_CONTACT,
                DataCategory.DATA_CATEGORY_HOUSING, DataCategory.DATA_CATEGORY_BENEFITS,
                DataCategory.DATA_CATEGORY_REFERRALS);
        // a part that could not be had withholds nothing: it is marked unavailable instead
        BENEFITS.failure = status(Status.Code.UNAVAILABLE, "down", "UNAVAILABLE");
        assertThat(parse(get(PATH, 200)).getWithheldCategoriesList()).doesNotContain(DataCategory.DATA_CATEGORY_BENEFITS);
    }

    @Test
    void thePartsAreGatheredInParallel() {
        get(PATH, 200); // warm up: every channel connected, every code path loaded
        reset();
        ALL.forEach(f -> f.delayMillis = 300);
        SharedRecord record = parse(get(PATH, 200));
        assertThat(record.getPartsList()).allMatch(p -> p.getState() == State.STATE_OK);
        List<Seen> calls = ALL.stream().map(f -> {
            assertThat(f.seen).as(f.source.name()).hasSize(1);
            return f.seen.getFirst();
        }).toList();
        // every call started before any of them answered: they overlapped instead of queueing
        long lastStart = calls.stream().mapToLong(Seen::startNanos).max().orElseThrow();
        long firstEnd = calls.stream().mapToLong(Seen::endNanos).min().orElseThrow();
        assertThat(lastStart).isLessThan(firstEnd);
    }

    @Test
    void theCallersTokenRequestIdAndPurposeReachEveryPart() {
        client().get().uri(PATH + "?purpose=PURPOSE_RISK_MANAGEMENT").header("X-Request-Id", "rid-shared-7")
                .exchange().expectStatus().isOk().expectHeader().valueEquals("X-Request-Id", "rid-shared-7");
        for (Fake f : ALL) {
            assertThat(f.seen).as(f.source.name()).hasSize(1);
            assertThat(f.seen.getFirst().authorization()).as(f.source.name()).isEqualTo("Bearer good-token");
            assertThat(f.seen.getFirst().requestId()).as(f.source.name()).isEqualTo("rid-shared-7");
        }
        assertThat(PEOPLE.seen.getFirst().request()).isEqualTo(GetPersonRequest.newBuilder().setName(PARENT)
                .setPurpose(Purpose.PURPOSE_RISK_MANAGEMENT).build());
        assertThat(HOUSING.seen.getFirst().request()).isEqualTo(ListHousingSituationsRequest.newBuilder()
                .setParent(PARENT).setPageSize(100).setPurpose(Purpose.PURPOSE_RISK_MANAGEMENT).build());
        assertThat(BENEFITS.seen.getFirst().request()).isEqualTo(ListClaimsRequest.newBuilder()
                .setParent(PARENT).setPageSize(100).setPurpose(Purpose.PURPOSE_RISK_MANAGEMENT).build());
        assertThat(REFERRALS.seen.getFirst().request()).isEqualTo(ListReferralsRequest.newBuilder()
                .setParent(PARENT).setPageSize(100).setPurpose(Purpose.PURPOSE_RISK_MANAGEMENT).build());
        assertThat(CONSENT.seen.getFirst().request()).isEqualTo(ListConsentsRequest.newBuilder()
                .setParent(PARENT).setPageSize(100).build());
    }

    @Test
    void aServiceThatIsDownLeavesOnlyItsPartOutMarkedUnavailable() throws InterruptedException {
        REFERRALS.stop();
        try {
            EntityExchangeResult<byte[]> result = get(PATH, 200);
            SharedRecord record = parse(result);
            assertThat(states(record)).isEqualTo(allOkBut(Source.SOURCE_REFERRALS, State.STATE_UNAVAILABLE));
            assertThat(record.getReferralsList()).isEmpty();
            assertThat(record.hasPerson()).isTrue();
            assertThat(record.getHousingSituationsList()).hasSize(1);
            assertThat(record.getClaimsList()).hasSize(1);
            assertThat(record.getConsentsList()).hasSize(1);
            // no internal detail: neither the address of the service nor its error text
            assertThat(body(result)).doesNotContain("127.0.0.1").doesNotContain(":" + REFERRALS.port)
                    .doesNotContain("onnection");
            assertThat(meters.counter("bridge.shared.record.parts", "source", "SOURCE_REFERRALS",
                    "state", "STATE_UNAVAILABLE").count()).isGreaterThanOrEqualTo(1);
        } finally {
            REFERRALS.start();
            backends.forService(REFERRALS.grpcService).orElseThrow().channel().resetConnectBackoff();
        }
        awaitPart(Source.SOURCE_REFERRALS, State.STATE_OK);
    }

    @Test
    void aServiceThatDoesNotAnswerIsUnavailableOnceThePartDeadlinePasses() {
        HOUSING.hang = true;
        long start = System.nanoTime();
        SharedRecord record = parse(get(PATH, 200));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(states(record)).isEqualTo(allOkBut(Source.SOURCE_HOUSING_LIAISON, State.STATE_UNAVAILABLE));
        assertThat(record.getHousingSituationsList()).isEmpty();
        assertThat(record.getClaimsList()).hasSize(1);
        // the part deadline, not the gateway's 5 s, ended the wait (a lower bound only: no timing race)
        assertThat(tookMillis).isGreaterThanOrEqualTo(PART_DEADLINE.toMillis() - 50);
        // and the deadline travelled with the call: the service saw it cancelled
        awaitTrue(() -> HOUSING.cancelled.get() == 1);
    }

    @Test
    void anOpenBreakerFailsThePartAtOnceWithoutCallingTheService() {
        var breaker = backends.forService(BENEFITS.grpcService).orElseThrow().breaker();
        breaker.transitionToForcedOpenState();
        try {
            SharedRecord record = parse(get(PATH, 200));
            assertThat(states(record)).isEqualTo(allOkBut(Source.SOURCE_BENEFITS_LIAISON, State.STATE_UNAVAILABLE));
            assertThat(BENEFITS.seen).isEmpty();
            assertThat(PEOPLE.seen).hasSize(1);
        } finally {
            breaker.transitionToClosedState();
        }
    }

    @Test
    void theBreakersOfTheServicesCountThePartsFailures() {
        var breaker = backends.forService(CONSENT.grpcService).orElseThrow().breaker();
        CONSENT.failure = status(Status.Code.INTERNAL, "boom", "INTERNAL");
        get(PATH, 200);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        CONSENT.failure = status(Status.Code.NOT_FOUND, "people/x not found", "NOT_FOUND");
        get(PATH, 200);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        // the NOT_FOUND; the two decision sets the consent service issued count on their own breaker
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        assertThat(decisionSetBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
    }

    @Test
    void decisionSetsThatCannotBeHadOpenTheirOwnBreakerNotTheConsentServices() {
        issueFails = true;
        for (int i = 0; i < 22; i++) {
            SharedRecord record = parse(get(PATH, 200));
            assertThat(record.getPartsList()).allMatch(p -> p.getState() == State.STATE_OK);
        }
        // the consent service's routes stay open: its breaker saw only the ListConsents parts, all answered
        var consent = backends.forService(CONSENT.grpcService).orElseThrow().breaker();
        assertThat(consent.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(consent.getMetrics().getNumberOfFailedCalls()).isZero();
        // while the set's breaker is open the composer stops asking for sets
        assertThat(decisionSetBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int asked = ISSUED.size();
        get(PATH, 200);
        assertThat(ISSUED).hasSize(asked);
    }

    private CircuitBreaker decisionSetBreaker() {
        return breakers.circuitBreaker("decision-sets");
    }

    @Test
    void aPartTheServiceDoesNotShowIsNotVisible() {
        BENEFITS.failure = status(Status.Code.PERMISSION_DENIED, "platform operators cannot list benefit claims",
                "PLATFORM_SEES_NO_PERSONAL_DATA");
        CONSENT.failure = status(Status.Code.NOT_FOUND, "people/x not found", "NOT_FOUND");
        EntityExchangeResult<byte[]> result = get(PATH, 200);
        SharedRecord record = parse(result);
        Map<Source, State> expected = allOkBut(Source.SOURCE_BENEFITS_LIAISON, State.STATE_NOT_VISIBLE);
        expected.put(Source.SOURCE_CONSENT, State.STATE_NOT_VISIBLE);
        assertThat(states(record)).isEqualTo(expected);
        assertThat(record.getClaimsList()).isEmpty();
        assertThat(record.getConsentsList()).isEmpty();
        assertThat(body(result)).doesNotContain("platform operators");
    }

    @Test
    void aPersonThePeopleDirectoryDoesNotShowIsNotFoundNeverAPartialRecord() {
        PEOPLE.failure = status(Status.Code.NOT_FOUND, PARENT + " not found", "PERSON_NOT_FOUND");
        // the other services would answer (slowly): the record does not wait for them, it cancels them
        for (Fake f : List.of(HOUSING, BENEFITS, REFERRALS, CONSENT)) {
            f.hang = true;
        }
        EntityExchangeResult<byte[]> result = client().get().uri(PATH).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.reason").isEqualTo("PERSON_NOT_FOUND")
                .jsonPath("$.detail").isEqualTo(PARENT + " not found")
                .jsonPath("$.parts").doesNotExist()
                .jsonPath("$.person").doesNotExist()
                .returnResult();
        assertThat(body(result)).doesNotContain("housing").doesNotContain("claims").doesNotContain("Alex");
        awaitTrue(() -> List.of(HOUSING, BENEFITS, REFERRALS, CONSENT).stream()
                .allMatch(f -> f.seen.isEmpty() || f.cancelled.get() == 1));
    }

    @Test
    void whenThePeopleDirectoryCannotBeHadTheAnswerIs503() {
        PEOPLE.failure = status(Status.Code.UNAVAILABLE, "cannot reach db-0.internal:27017", "UNAVAILABLE");
        EntityExchangeResult<byte[]> result = client().get().uri(PATH).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.reason").isEqualTo("PEOPLE_DIRECTORY_UNAVAILABLE")
                .returnResult();
        assertThat(body(result)).doesNotContain("db-0.internal");

        reset();
        PEOPLE.hang = true;
        client().get().uri(PATH).exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.reason").isEqualTo("PEOPLE_DIRECTORY_UNAVAILABLE");
    }

    @Test
    void aMalformedNameIs400NamingTheField() {
        client().get().uri("/v1/people/tooshort/sharedRecord").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("name")
                .jsonPath("$.errors[0].description").isEqualTo("must be a resource name of the form people/{id}/sharedRecord");
        // a percent-encoded space in the id: refused before any service is asked
        client().get().uri(java.net.URI.create("http://127.0.0.1:" + port + "/v1/people/a%20b/sharedRecord")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        assertThat(PEOPLE.seen).isEmpty();
    }

    @Test
    void withoutAValidTokenTheAnswerIs401AndNoServiceIsAsked() {
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri(PATH).exchange().expectStatus().isUnauthorized();
        assertThat(ALL).allMatch(f -> f.seen.isEmpty());
    }

    @Test
    void theOpenApiDocumentListsTheSharedRecord() {
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/v1/openapi.json").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/v1/people/{person}/sharedRecord'].get.operationId")
                .isEqualTo("SharedRecordService_GetSharedRecord")
                .jsonPath("$.components.schemas['bridge.record.v1.SharedRecord']").exists();
    }

    private void awaitPart(Source source, State state) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            SharedRecord record = parse(get(PATH, 200));
            if (states(record).get(source) == state) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError(source + " never became " + state + ": " + states(record));
            }
            Thread.sleep(200);
        }
    }

    private static void awaitTrue(Supplier<Boolean> condition) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met in time");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
