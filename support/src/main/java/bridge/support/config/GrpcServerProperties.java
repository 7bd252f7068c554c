package bridge.support.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How much a service's gRPC server takes on at once. Spring gRPC's default executor starts a thread
 * for every call waiting on something (100 → 534 threads in a soak under overload); here a fixed
 * pool serves at most {@code maxConcurrentCalls} calls and answers the next one UNAVAILABLE at once.
 *
 * @param maxConcurrentCalls calls served at once (default 256: a call mostly waits on MongoDB or
 *                           another service, and the consent service takes the fan-in of every other
 *                           service — at 64, 32 concurrent direct shared-record reads, four BatchDecides
 *                           each, were refused by the consent service (bin/bench, 2026-11-23))
 * @param queue              tasks of admitted calls the pool may hold waiting for a thread (default 1,024)
 */
@ConfigurationProperties("bridge.grpc.server")
public record GrpcServerProperties(Integer maxConcurrentCalls, Integer queue) {

    /** Threads beyond the admitted calls, so that refusing a call never waits behind admitted ones. */
    public static final int SPARE_THREADS = 4;

    public GrpcServerProperties {
        maxConcurrentCalls = maxConcurrentCalls == null ? 256 : maxConcurrentCalls;
        queue = queue == null ? 1024 : queue;
        if (maxConcurrentCalls < 1 || queue < 1) {
            throw new IllegalStateException("bridge.grpc.server.max-concurrent-calls and .queue must be at least 1");
        }
    }

    public int threads() {
        return maxConcurrentCalls + SPARE_THREADS;
    }
}
