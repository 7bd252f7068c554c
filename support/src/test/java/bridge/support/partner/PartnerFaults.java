package bridge.support.partner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import bridge.support.outbox.DeliveryOutcome;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxDispatcher;
import bridge.support.outbox.OutboxHandler;
import bridge.support.outbox.OutboxMessage;
import bridge.support.outbox.RetryPolicy;
import bridge.support.time.MutableClock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A partner system (housing authority, DWP) on WireMock, and the faults the services' delivery
 * tests put it through: connection reset, empty response, 500, 503 with Retry-After, a hang past
 * the client's deadline, a malformed 2xx, a 30-minute outage on the controllable clock, and a
 * process that dies mid-delivery. One copy, used by every partner delivery test.
 */
public final class PartnerFaults implements AutoCloseable {

    /** The faults, in the order the delivery tests go through them, each for a partner that answers {@code success} when well. */
    public enum PartnerFault {
        CONNECTION_RESET,
        EMPTY_RESPONSE,
        SERVER_ERROR,
        UNAVAILABLE_WITH_RETRY_AFTER,
        /** Answers success, but 4 s late: past the 2 s deadline the tests configure. */
        HANGS_PAST_THE_DEADLINE,
        /** Answers success with an HTML error page where JSON was promised. */
        MALFORMED_SUCCESS;

        public ResponseDefinitionBuilder response(int success) {
            var r = aResponse();
            return switch (this) {
                case CONNECTION_RESET -> r.withFault(Fault.CONNECTION_RESET_BY_PEER);
                case EMPTY_RESPONSE -> r.withFault(Fault.EMPTY_RESPONSE);
                case SERVER_ERROR -> r.withStatus(500);
                case UNAVAILABLE_WITH_RETRY_AFTER -> r.withStatus(503).withHeader("Retry-After", "120");
                case HANGS_PAST_THE_DEADLINE -> r.withStatus(success).withFixedDelay(4000);
                case MALFORMED_SUCCESS -> r.withStatus(success).withHeader("Content-Type", "application/json")
                        .withBody("<html><body>502 Bad Gateway</body></html>");
            };
        }
    }

    private final WireMockServer server;

    private PartnerFaults(WireMockServer server) {
        this.server = server;
    }

    /** A partner on loopback, on a free port, with enough threads for a hanging response not to block the others. */
    public static PartnerFaults start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .dynamicPort().containerThreads(20));
        server.start();
        return new PartnerFaults(server);
    }

    public WireMockServer server() {
        return server;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** Forgets every stub and every request it saw. */
    public void reset() {
        server.resetAll();
    }

    public void stubFor(MappingBuilder stub) {
        server.stubFor(stub);
    }

    /** From now on the partner answers {@code request} with {@code fault}. */
    public void failWith(MappingBuilder request, PartnerFault fault, int success) {
        server.stubFor(request.willReturn(fault.response(success)));
    }

    public List<ServeEvent> served() {
        return server.getAllServeEvents();
    }

    /** What reached the partner under one idempotency key. */
    public List<ServeEvent> sentWithKey(String key) {
        return served().stream().filter(e -> key.equals(e.getRequest().getHeader("Idempotency-Key"))).toList();
    }

    /**
     * Down for {@code down} of the clock (connection reset at the partner's door), a dispatcher pass
     * every {@code poll}.
     */
    public void downFor(MappingBuilder request, Duration down, Duration poll, MutableClock clock, Runnable dispatcherPass) {
        reset();
        server.stubFor(request.willReturn(PartnerFault.CONNECTION_RESET.response(0)));
        for (Duration d = Duration.ZERO; d.compareTo(down) < 0; d = d.plus(poll)) {
            clock.advance(poll);
            dispatcherPass.run();
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * One delivery pass on its own thread while the service's API is called alongside it until the
     * pass ends; each call's time is added to {@code apiNanos}.
     */
    public static void deliveryPassWithApiCallsAlongside(Runnable deliveryPass, Runnable apiCall, List<Long> apiNanos)
            throws InterruptedException {
        AtomicBoolean passing = new AtomicBoolean(true);
        Thread pass = Thread.ofPlatform().start(() -> {
            deliveryPass.run();
            passing.set(false);
        });
        while (passing.get()) {
            long t = System.nanoTime();
            apiCall.run();
            apiNanos.add(System.nanoTime() - t);
        }
        pass.join();
    }

    /** Moves the clock by {@code step} and drains, at most {@code steps} times, while anything is pending. */
    public static void untilNothingPending(BooleanSupplier pending, int steps, Duration step, MutableClock clock, Runnable drain) {
        for (int i = 0; i < steps && pending.getAsBoolean(); i++) {
            clock.advance(step);
            drain.run();
        }
    }

    /** How often the partner client's breaker went from one state to another. */
    public static double transitions(MeterRegistry meters, String partner, String from, String to) {
        var c = meters.find("bridge.partner.breaker.transitions").tag("partner", partner)
                .tag("from", from).tag("to", to).counter();
        return c == null ? 0 : c.count();
    }

    /** The breaker's state gauge (0 is closed). */
    public static double breakerState(MeterRegistry meters, String partner) {
        return meters.find("bridge.partner.breaker.state").tag("partner", partner).gauge().value();
    }

    /** p50, p99 and max of call times, for printing (timings on a shared machine are noise: never asserted). */
    public static String latencies(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.99)) / 1e6, sorted.getLast() / 1e6);
    }

    /**
     * A process that dies mid-delivery: its dispatcher hands a message to {@code send} (the partner
     * receives it) and the process is gone before it records that; the message stays IN_FLIGHT under
     * its lease. {@link #restartedAfterTheLease} is the new process over the same database.
     */
    public static final class DyingProcess implements AutoCloseable {
        private final CountDownLatch dying = new CountDownLatch(1);
        private final CountDownLatch neverReturns = new CountDownLatch(1);
        private final Thread old;

        private DyingProcess(MongoDatabase db, MutableClock clock, String channel, Consumer<OutboxMessage> send) {
            OutboxHandler diesAfterSending = new OutboxHandler() {
                @Override
                public String channel() {
                    return channel;
                }

                @Override
                public DeliveryOutcome deliver(OutboxMessage message) {
                    send.accept(message); // the partner receives it...
                    dying.countDown();
                    try {
                        neverReturns.await(); // ...and the process is gone before it records that
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("process died");
                }
            };
            old = Thread.ofPlatform().start(() -> new OutboxDispatcher(new Outbox(db, clock), List.of(diesAfterSending),
                    RetryPolicy.defaults(), clock, new SimpleMeterRegistry()).runOnce());
        }

        public static DyingProcess start(MongoDatabase db, MutableClock clock, String channel, Consumer<OutboxMessage> send) {
            return new DyingProcess(db, clock, channel, send);
        }

        /** True once the partner has received the message (within 10 s). */
        public boolean partnerReceived() throws InterruptedException {
            return dying.await(10, TimeUnit.SECONDS);
        }

        /** The restarted service: a new outbox and dispatcher over the same database, after the old lease ran out. */
        public OutboxDispatcher restartedAfterTheLease(MongoDatabase db, MutableClock clock, OutboxHandler handler) {
            clock.advance(RetryPolicy.defaults().lease().plusSeconds(1));
            return new OutboxDispatcher(new Outbox(db, clock), List.of(handler), RetryPolicy.defaults(), clock,
                    new SimpleMeterRegistry());
        }

        @Override
        public void close() throws InterruptedException {
            neverReturns.countDown();
            old.join(5000);
        }
    }
}
