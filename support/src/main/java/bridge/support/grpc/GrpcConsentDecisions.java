package bridge.support.grpc;

import bridge.proto.consent.v1.BatchDecideRequest;
import bridge.proto.consent.v1.BatchDecideResponse;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.Decision;
import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.errors.UnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;

/**
 * Asks the consent service over gRPC, as the caller: the caller's own bearer token travels on, so
 * the consent service decides (and audits) for the real user and agency, not for this service.
 * Every call has a deadline; UNAVAILABLE is retried with backoff (a decision is safe to repeat);
 * a circuit breaker stops hammering a consent service that is down. No answer means no data.
 */
public final class GrpcConsentDecisions implements DisposableBean, ConsentDecisions {

    private final ManagedChannel channel;
    private final Duration deadline;
    private final Retry retry;
    private final CircuitBreaker breaker;

    public GrpcConsentDecisions(ManagedChannel channel, Duration deadline, Retry retry, CircuitBreaker breaker) {
        this.channel = channel;
        this.deadline = deadline;
        this.retry = retry;
        this.breaker = breaker;
    }

    @Override
    public Decisions decide(String personId, Collection<DataCategory> categories, Purpose purpose) {
        if (categories.isEmpty()) {
            return new Decisions(Map.of());
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
