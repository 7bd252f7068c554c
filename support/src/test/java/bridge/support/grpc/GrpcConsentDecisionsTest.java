package bridge.support.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.consent.v1.BatchDecideRequest;
import bridge.proto.consent.v1.BatchDecideResponse;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.Decision;
import bridge.proto.consent.v1.ListDecisionKeysRequest;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.Person;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.testing.TestTokens;
import bridge.support.time.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The consent client as a service uses it, against an in-process consent service that counts its
 * BatchDecide calls: a request carrying a decision set that fits is answered without a call; any set
 * that does not fit is a call, answered by the consent service (here: RISK and HOUSING denied).
 */
class GrpcConsentDecisionsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String KEYWORKER = TestTokens.token("forward-leeds", "TREATMENT", "keyworker-1", "worker");
    static final String OTHER_AGENCY = TestTokens.token("change-grow-live", "TREATMENT", "keyworker-1", "worker");

    final KeyPair key = SignedSets.newKey();
    final AtomicInteger batchDecides = new AtomicInteger();
    final AtomicInteger keyFetches = new AtomicInteger();
    final List<byte[]> setsSentOn = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Server server;
    ManagedChannel channel;
    GrpcConsentDecisions decisions;

    @BeforeEach
    void start() throws Exception {
        String name = "consent-" + UUID.randomUUID();
        ConsentServiceGrpc.ConsentServiceImplBase consent = new ConsentServiceGrpc.ConsentServiceImplBase() {
            @Override
            public void batchDecide(BatchDecideRequest request, StreamObserver<BatchDecideResponse> response) {
                batchDecides.incrementAndGet();
                BatchDecideResponse.Builder b = BatchDecideResponse.newBuilder();
                request.getCategoriesList().forEach(c -> b.addDecisions(Decision.newBuilder().setCategory(c)
                        .setAllowed(false).setDenyReason("NO_CONSENT")));
                response.onNext(b.build());
                response.onCompleted();
            }

            @Override
            public void listDecisionKeys(ListDecisionKeysRequest request, StreamObserver<ListDecisionKeysResponse> response) {
                keyFetches.incrementAndGet();
                response.onNext(SignedSets.published(key, SignedSets.KEY_ID));
                response.onCompleted();
            }
        };
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(consent, new io.grpc.ServerInterceptor() {
                    @Override
                    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
                            Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
                        byte[] set = headers.get(DecisionSets.METADATA_KEY);
                        if (set != null && call.getMethodDescriptor().getBareMethodName().equals("BatchDecide")) {
                            setsSentOn.add(set);
                        }
                        return next.startCall(call, headers);
                    }
                })).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        MutableClock clock = new MutableClock(NOW);
        decisions = new GrpcConsentDecisions(channel, Duration.ofSeconds(2), Retry.ofDefaults("test"),
                CircuitBreaker.ofDefaults("test"),
                GrpcConsentDecisions.keysFrom(channel, Duration.ofSeconds(2), Duration.ofSeconds(10), clock), clock, meters);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        SecurityContextHolder.clearContext();
    }

    /** Decides HOUSING for p-1 as this caller, in request req-1, carrying this set (or none). */
    Decisions decideAs(String token, byte[] set) throws Exception {
        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(TestTokens.decoder().decode(token), List.of()));
        Context context = Context.current().withValue(RequestIds.CONTEXT_KEY, "req-1");
        if (set != null) {
            context = context.withValue(DecisionSets.CONTEXT_KEY, set);
        }
        Callable<Decisions> call = () -> decisions.decide("p-1",
                List.of(bridge.support.consent.DataCategory.HOUSING), Purpose.DIRECT_SUPPORT);
        return context.call(call);
    }

    @Test
    void aSetThatFitsIsUsedWithoutACall() throws Exception {
        byte[] set = SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID);
        assertThat(decideAs(KEYWORKER, set).allows(bridge.support.consent.DataCategory.HOUSING)).isTrue();
        assertThat(decideAs(KEYWORKER, set).allows(bridge.support.consent.DataCategory.HOUSING)).isTrue();
        assertThat(batchDecides).hasValue(0);
        assertThat(keyFetches).as("the key is fetched once, then held").hasValue(1);
        assertThat(meters.counter("bridge.consent.decision.sets", "outcome", "used").count()).isEqualTo(2);
    }

    @Test
    void withoutASetTheConsentServiceIsAsked() throws Exception {
        assertThat(decideAs(KEYWORKER, null).allows(bridge.support.consent.DataCategory.HOUSING)).isFalse();
        assertThat(batchDecides).hasValue(1);
        assertThat(keyFetches).hasValue(0);
    }

    @Test
    void aSetThatDoesNotFitIsAskedAboutAndTheConsentServicesAnswerCounts() throws Exception {
        List<byte[]> unfit = List.of(
                SignedSets.signed(SignedSets.set(NOW).setPerson("people/p-2"), key, SignedSets.KEY_ID),
                SignedSets.signed(SignedSets.set(NOW).setPurpose(bridge.proto.common.v1.Purpose.PURPOSE_REFERRAL), key,
                        SignedSets.KEY_ID),
                SignedSets.signed(SignedSets.set(NOW).setRequestId("req-0"), key, SignedSets.KEY_ID),
                SignedSets.signed(SignedSets.set(NOW.minusSeconds(6)), key, SignedSets.KEY_ID),
                SignedSets.signed(SignedSets.set(NOW).removeDecisions(0), key, SignedSets.KEY_ID),
                SignedSets.signed(SignedSets.set(NOW), SignedSets.newKey(), SignedSets.KEY_ID));
        for (byte[] set : unfit) {
            assertThat(decideAs(KEYWORKER, set).allows(bridge.support.consent.DataCategory.HOUSING)).isFalse();
        }
        assertThat(batchDecides).hasValue(unfit.size());
    }

    @Test
    void aSetIssuedToOneCallerIsNotHonouredForAnother() throws Exception {
        byte[] set = SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID);
        assertThat(decideAs(OTHER_AGENCY, set).allows(bridge.support.consent.DataCategory.HOUSING)).isFalse();
        assertThat(batchDecides).hasValue(1);
        assertThat(meters.counter("bridge.consent.decision.sets", "outcome", "OTHER_CALLER").count()).isEqualTo(1);
    }

    @Test
    void theSetTravelsOnWithCallsMadeAsTheCaller() throws Exception {
        byte[] set = SignedSets.signed(SignedSets.set(NOW).setPerson("people/p-2"), key, SignedSets.KEY_ID);
        decideAs(KEYWORKER, set);
        assertThat(setsSentOn).singleElement().isEqualTo(set);
    }

    @Test
    void noCategoriesNoCall() throws Exception {
        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(TestTokens.decoder().decode(KEYWORKER), List.of()));
        assertThat(decisions.decide("p-1", List.of(), Purpose.DIRECT_SUPPORT).allowed()).isEmpty();
        assertThat(batchDecides).hasValue(0);
    }

    @Test
    void aSetAllowingIdentityShowsThePersonWithoutAskingTheDirectory() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        String name = "people-" + UUID.randomUUID();
        Server directory = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new PeopleDirectoryServiceGrpc.PeopleDirectoryServiceImplBase() {
                    @Override
                    public void getPerson(GetPersonRequest request, StreamObserver<Person> response) {
                        lookups.incrementAndGet();
                        response.onError(Status.NOT_FOUND.asRuntimeException());
                    }
                }).build().start();
        ManagedChannel toDirectory = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            GrpcPersonVisibility visibility = new GrpcPersonVisibility(toDirectory, Duration.ofSeconds(2),
                    Retry.of("once", io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(1).build()), CircuitBreaker.ofDefaults("test"),
                    personId -> decisions.carriedAllows(personId, DataCategory.IDENTITY, Purpose.DIRECT_SUPPORT));
            byte[] identityAllowed = SignedSets.signed(SignedSets.set(NOW).addDecisions(Decision.newBuilder()
                    .setCategory(bridge.proto.common.v1.DataCategory.DATA_CATEGORY_IDENTITY).setAllowed(true)),
                    key, SignedSets.KEY_ID);
            byte[] identityDenied = SignedSets.signed(SignedSets.set(NOW).addDecisions(Decision.newBuilder()
                    .setCategory(bridge.proto.common.v1.DataCategory.DATA_CATEGORY_IDENTITY).setAllowed(false)),
                    key, SignedSets.KEY_ID);

            assertThat(visibleAs(KEYWORKER, identityAllowed, visibility)).isTrue();
            assertThat(lookups).as("answered by the set").hasValue(0);
            // denied in the set, a set for another caller, no set: the directory decides (here: not found)
            assertThat(visibleAs(KEYWORKER, identityDenied, visibility)).isFalse();
            assertThat(visibleAs(OTHER_AGENCY, identityAllowed, visibility)).isFalse();
            assertThat(visibleAs(KEYWORKER, null, visibility)).isFalse();
            assertThat(lookups).hasValue(3);
            assertThat(batchDecides).as("visibility never asks the consent service itself").hasValue(0);
        } finally {
            toDirectory.shutdownNow();
            directory.shutdownNow();
        }
    }

    boolean visibleAs(String token, byte[] set, GrpcPersonVisibility visibility) throws Exception {
        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(TestTokens.decoder().decode(token), List.of()));
        Context context = Context.current().withValue(RequestIds.CONTEXT_KEY, "req-1");
        if (set != null) {
            context = context.withValue(DecisionSets.CONTEXT_KEY, set);
        }
        return context.call(() -> visibility.isVisible("p-1"));
    }
}
