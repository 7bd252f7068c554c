package bridge.gateway.grpc;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived channel per backend service (HTTP/2 multiplexes every request over it) and one
 * circuit breaker per backend, so a service that is down fails fast with 503 instead of tying up
 * the gateway until each deadline.
 */
public final class Backends implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Backends.class);

    /** A backend: where it is, the channel to it, and its breaker. */
    public record Backend(String name, String target, ManagedChannel channel, CircuitBreaker breaker) {
    }

    private final Map<String, Backend> byPackage = new LinkedHashMap<>();
    private final Map<String, Backend> byTarget = new ConcurrentHashMap<>();
    private final CircuitBreakerRegistry breakers;

    public Backends(Map<String, String> packageToTarget, CircuitBreakerRegistry breakers) {
        this.breakers = breakers;
        packageToTarget.forEach((pkg, target) -> byPackage.put(pkg, byTarget.computeIfAbsent(target, this::open)));
    }

    /**
     * Breaker values chosen on purpose. A window of time, not of calls: at a hundred calls a second a
     * window of 20 calls is a fifth of a second, and one GC pause or CPU stall that times out ten calls
     * opened the breaker and refused every call for five seconds (the soak showed exactly that). Over
     * ten seconds a backend must fail half of its calls, judged from the tenth — a dead or hanging one
     * does within seconds; a stall of a second or two at volume does not. Judged from the tenth call, not
     * the twentieth: at low volume a later judgement opened the breaker only after the backend was back
     * (the e2e service-kill drill). The library default (100 calls) would never open at low volume.
     * The services' breakers on each other use the same values ({@code support} {@code
     * grpc.ServiceBreakers}); the gateway does not depend on that module, so they are written twice.
     */
    public static CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
    }

    /** An opening breaker refuses every call for seconds: the operator needs to see when and why. */
    public static CircuitBreaker logTransitions(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(e -> log.warn("breaker {}: {} ({} of {} recent calls failed)",
                e.getCircuitBreakerName(), e.getStateTransition(), breaker.getMetrics().getNumberOfFailedCalls(),
                breaker.getMetrics().getNumberOfBufferedCalls()));
        return breaker;
    }

    private Backend open(String target) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                .keepAliveTime(30, TimeUnit.SECONDS)
                .maxInboundMessageSize(4 * 1024 * 1024)
                .build();
        CircuitBreaker breaker = breakers.circuitBreaker("backend-" + target.replace(':', '-'));
        return new Backend(target, target, channel, logTransitions(breaker));
    }

    /**
     * Serves a proto package from a channel the gateway hosts itself (an in-process gRPC server, such
     * as the shared-record composer), under the given breaker. Wiring only: call at start-up, before
     * the first request. The channel is shut down with the others.
     */
    public void addLocal(String protoPackage, String name, ManagedChannel channel, CircuitBreaker breaker) {
        Backend local = new Backend(name, "in-process:" + name, channel, breaker);
        byPackage.put(protoPackage, local);
        byTarget.put(local.target(), local);
    }

    /** The backend serving a fully-qualified gRPC service name, by its proto package. */
    public Optional<Backend> forService(String serviceFullName) {
        int dot = serviceFullName.lastIndexOf('.');
        String pkg = dot < 0 ? "" : serviceFullName.substring(0, dot);
        return Optional.ofNullable(byPackage.get(pkg));
    }

    @Override
    public void close() {
        for (Backend b : byTarget.values()) {
            b.channel().shutdownNow();
        }
    }
}
