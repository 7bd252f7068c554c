package bridge.support.grpc;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.StatusRuntimeException;
import java.time.Duration;

/**
 * The circuit breaker every service puts in front of another service it calls, written once.
 * Values chosen on purpose: the library default (100 calls) would never open at low volume. Only the
 * callee's own trouble counts as a failure, never a caller's mistake; a callee at capacity
 * ({@link CallAdmission#isOverloaded(Throwable)}) counts as neither failure nor success — it is busy,
 * not broken, and opening on it would turn a second of saturation into five seconds of refusals.
 */
public final class ServiceBreakers {

    private ServiceBreakers() {
    }

    public static CircuitBreakerConfig config() {
        return CircuitBreakerConfig.custom()
                // ten seconds, not 20 calls: at volume a 20-call window is a fraction of a second, and a
                // stall of a second would open it (as the gateway's breakers, Backends#breakerConfig)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordException(e -> e instanceof StatusRuntimeException sre
                        && GrpcConsentDecisions.isTransient(sre.getStatus().getCode()))
                .ignoreException(CallAdmission::isOverloaded)
                .build();
    }

    public static CircuitBreaker named(CircuitBreakerRegistry breakers, String name) {
        return breakers.circuitBreaker(name, config());
    }
}
