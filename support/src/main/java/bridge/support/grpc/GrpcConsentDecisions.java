package bridge.support.grpc;

import bridge.proto.consent.v1.BatchDecideRequest;
import bridge.proto.consent.v1.BatchDecideResponse;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.Decision;
import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.consent.DecisionSet;
import bridge.support.errors.UnavailableException;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;

/**
 * Asks the consent service over gRPC, as the caller: the caller's own bearer token travels on, so
 * the consent service decides (and audits) for the real user and agency, not for this service.
 * Every call has a deadline; UNAVAILABLE is retried with backoff (a decision is safe to repeat);
 * a circuit breaker stops hammering a consent service that is down. No answer means no data.
 *
 * <p>When the request carries a decision set the consent service signed for it (ADR 0012: the
 * gateway asks once per shared record), the answer comes from that set without a call — only if the
 * signature verifies and the set names this caller (subject and agency of the token this service
 * validated itself), this person, purpose and request, has not expired and decided every asked
 * category. Anything else is asked for as before: a set is used whole or not at all.
 */
public final class GrpcConsentDecisions implements DisposableBean, ConsentDecisions {

    private final ManagedChannel channel;
    private final Duration deadline;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final DecisionKeys keys;
    private final Clock clock;
    private final MeterRegistry meters;

    /** Asks the consent service every time (carried decision sets are not used). */
    public GrpcConsentDecisions(ManagedChannel channel, Duration deadline, Retry retry, CircuitBreaker breaker) {
        this(channel, deadline, retry, breaker, null, Clock.systemUTC(), Metrics.globalRegistry);
    }

    /**
     * @param keys the consent service's decision keys; null to ignore carried decision sets
     */
    public GrpcConsentDecisions(ManagedChannel channel, Duration deadline, Retry retry, CircuitBreaker breaker,
                                DecisionKeys keys, Clock clock, MeterRegistry meters) {
        this.channel = channel;
        this.deadline = deadline;
        this.retry = retry;
        this.breaker = breaker;
        this.keys = keys;
        this.clock = clock;
        this.meters = meters;
    }

    /** The keys come from the consent service itself, over the same channel, as the current caller. */
    public static DecisionKeys keysFrom(ManagedChannel channel, Duration deadline, Duration refetchGap, Clock clock) {
        return new DecisionKeys(() -> ConsentServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(CallerCredentials.ofCurrentCaller())
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .listDecisionKeys(bridge.proto.consent.v1.ListDecisionKeysRequest.getDefaultInstance()),
                refetchGap, clock);
    }

    @Override
    public Decisions decide(String personId, Collection<DataCategory> categories, Purpose purpose) {
        if (categories.isEmpty()) {
            return new Decisions(Map.of());
        }
        Decisions carried = carried(personId, categories, purpose);
        if (carried != null) {
            return carried;
        }
        BatchDecideRequest.Builder request = BatchDecideRequest.newBuilder()
                .setPerson("people/" + personId)
                .setPurpose(bridge.proto.common.v1.Purpose.valueOf("PURPOSE_" + purpose.name()));
        categories.stream().distinct().forEach(c ->
                request.addCategories(bridge.proto.common.v1.DataCategory.valueOf("DATA_CATEGORY_" + c.name())));
        CallCredentials caller = CallerCredentials.ofCurrentCaller();
        try {
            BatchDecideResponse response = Retry.decorateSupplier(retry,
                    CircuitBreaker.decorateSupplier(breaker, () -> ConsentServiceGrpc.newBlockingStub(channel)
                            .withCallCredentials(caller)
                            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                            .batchDecide(request.build()))).get();
            Map<DataCategory, Boolean> out = new EnumMap<>(DataCategory.class);
            for (Decision d : response.getDecisionsList()) {
                String name = d.getCategory().name().substring("DATA_CATEGORY_".length());
                out.put(DataCategory.valueOf(name), d.getAllowed());
            }
            return new Decisions(out);
        } catch (CallNotPermittedException e) {
            throw new UnavailableException("CONSENT_SERVICE_UNAVAILABLE", "consent decisions are unavailable; retry later");
        } catch (StatusRuntimeException e) {
            if (isTransient(e.getStatus().getCode())) {
                throw new UnavailableException("CONSENT_SERVICE_UNAVAILABLE", "consent decisions are unavailable; retry later");
            }
            throw e;
        }
    }

    /**
     * Whether the decision set this request carries (if any, and only if it verifies and fits, as for
     * {@link #decide}) allows this category — without a call; false when there is no such set.
     */
    public boolean carriedAllows(String personId, DataCategory category, Purpose purpose) {
        Decisions carried = carried(personId, List.of(category), purpose);
        return carried != null && carried.allows(category);
    }

    /** The answer of the decision set this request carries, or null when there is none that verifies and fits. */
    private Decisions carried(String personId, Collection<DataCategory> categories, Purpose purpose) {
        byte[] header = keys == null ? null : DecisionSets.current();
        if (header == null) {
            return null;
        }
        DecisionSet set = DecisionSets.verify(header, keys::find);
        String refusal;
        if (set == null) {
            refusal = "NOT_VERIFIED";
        } else {
            Caller caller = CurrentCaller.get();
            refusal = set.refusal(caller.subject(), caller.agency(), personId, categories, purpose,
                    RequestIds.current(), clock.instant());
        }
        meters.counter("bridge.consent.decision.sets", "outcome", refusal == null ? "used" : refusal).increment();
        return refusal == null ? set.answer(categories) : null;
    }

    /** Worth retrying and counting against the breaker: the consent service's trouble, not the caller's. */
    public static boolean isTransient(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN;
    }

    /** The client owns its channel: closed with the application context. */
    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
