package bridge.support.partner;

import bridge.support.time.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The partner client against a JDK HTTP server that misbehaves on demand (and a socket that resets). */
class PartnerClientTest {

    /** What the fake partner does with the next request. */
    interface Behaviour {
        void handle(HttpExchange exchange) throws IOException;
    }

    private HttpServer server;
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>();
    private final List<String> seenKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private PartnerClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            seenKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            behaviour.get().handle(exchange);
        });
        server.start();
        client = new PartnerClient("test-partner", settings(), clock, meters);
    }

    private PartnerSettings settings() {
        return PartnerSettings.defaults(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/"))
                .withDeadline(Duration.ofMillis(400))
                .withAttempts(2, Duration.ofMillis(10))
                .withBreaker(10, 10, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private static Behaviour answer(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        };
    }

    private static String readId(String body) {
        if (!body.startsWith("{\"id\":\"")) {
            throw new IllegalArgumentException("not a notice");
        }
        return body.substring(7, body.indexOf('"', 7));
    }

    @Test
    void aGoodAnswerIsASuccessAndCarriesTheKeyAndPath() {
        AtomicReference<String> path = new AtomicReference<>();
        behaviour.set(exchange -> {
            path.set(exchange.getRequestURI().getPath() + " " + exchange.getRequestMethod()
                    + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            answer(201, "{\"id\":\"N-1\"}").handle(exchange);
        });
        PartnerOutcome<String> outcome = client.call(PartnerRequest.post("/notices", "key-1", "{}"), PartnerClientTest::readId);
        assertThat(outcome).isEqualTo(new PartnerOutcome.Success<>(201, "N-1"));
        assertThat(path.get()).isEqualTo("/api/notices POST application/json");
        assertThat(seenKeys).containsExactly("key-1");
        assertThat(meters.get("bridge.partner.calls").tag("outcome", "success").timer().count()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetryableAndRepeatedOnlyWhenTheRequestIsRepeatable() {
        behaviour.set(answer(503, "{\"title\":\"down\"}"));
        PartnerOutcome<String> keyed = client.call(PartnerRequest.post("/notices", "key-2", "{}"), b -> b);
        assertThat(keyed).isEqualTo(new PartnerOutcome.Retryable<>("HTTP 503"));
        assertThat(requests.get()).isEqualTo(2);
        assertThat(seenKeys).containsOnly("key-2");

        requests.set(0);
        PartnerOutcome<String> unkeyed = client.call(PartnerRequest.post("/notices", null, "{}"), b -> b);
        assertThat(unkeyed).isInstanceOf(PartnerOutcome.Retryable.class);
        assertThat(requests.get()).as("a POST without an idempotency key is never repeated").isEqualTo(1);

        requests.set(0);
        behaviour.set(answer(500, ""));
        assertThat(client.call(PartnerRequest.get("/notices/1"), b -> b)).isEqualTo(new PartnerOutcome.Retryable<>("HTTP 500"));
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aRefusalIsPermanentAndNotRepeated() {
        behaviour.set(answer(400, "{\"title\":\"Bad request\",\n \"detail\":\"referenceId is required\"}"));
        PartnerOutcome<String> outcome = client.call(PartnerRequest.post("/notices", "key-3", "{}"), b -> b);
        assertThat(outcome).isInstanceOfSatisfying(PartnerOutcome.Permanent.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.reason()).isEqualTo("HTTP 400: {\"title\":\"Bad request\", \"detail\":\"referenceId is required\"}");
        });
        assertThat(requests.get()).isEqualTo(1);
        behaviour.set(answer(429, ""));
        assertThat(client.call(PartnerRequest.get("/x"), b -> b)).isEqualTo(new PartnerOutcome.Retryable<>("HTTP 429"));
    }

    @Test
    void aPartnerHangingPastTheDeadlineIsRetryable() {
        CountDownLatch release = new CountDownLatch(1);
        behaviour.set(exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        PartnerOutcome<String> outcome = client.call(PartnerRequest.get("/slow"), b -> b);
        release.countDown();
        assertThat(outcome).isEqualTo(new PartnerOutcome.Retryable<>("no answer within 400 ms"));
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aHeaderThenAStalledBodyStillHitsTheDeadline() {
        CountDownLatch release = new CountDownLatch(1);
        behaviour.set(exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write("{\"id\":".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        PartnerOutcome<String> outcome = client.call(PartnerRequest.get("/stall"), PartnerClientTest::readId);
        release.countDown();
        assertThat(outcome).isEqualTo(new PartnerOutcome.Retryable<>("no answer within 400 ms"));
    }

    @Test
    void aMalformedBodyIsRetryable() {
        behaviour.set(answer(201, "<html>gateway error</html>"));
        PartnerOutcome<String> outcome = client.call(PartnerRequest.post("/notices", "key-4", "{}"), PartnerClientTest::readId);
        assertThat(outcome).isEqualTo(new PartnerOutcome.Retryable<>("malformed 201 response body (IllegalArgumentException)"));
    }

    @Test
    void aResetConnectionIsRetryable() throws Exception {
        try (ServerSocket resetting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!resetting.isClosed()) {
                    try (Socket s = resetting.accept()) {
                        accepted.incrementAndGet();
                        s.getInputStream().read(new byte[512]);
                        s.setSoLinger(true, 0); // close with RST
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            try (PartnerClient resetClient = new PartnerClient("resetting", PartnerSettings.defaults(
                    URI.create("http://127.0.0.1:" + resetting.getLocalPort())).withAttempts(2, Duration.ofMillis(10)),
                    clock, meters)) {
                PartnerOutcome<String> outcome = resetClient.call(PartnerRequest.post("/n", "key-5", "{}"), b -> b);
                assertThat(outcome).isInstanceOfSatisfying(PartnerOutcome.Retryable.class,
                        r -> assertThat(r.reason()).startsWith("connection failed ("));
                assertThat(accepted.get()).isGreaterThanOrEqualTo(2);
            }
            resetting.close();
            acceptor.join(2000);
        }
    }

    @Test
    void theBreakerOpensAfterFailuresStopsCallingAndClosesWhenThePartnerIsBack() {
        client.close();
        client = new PartnerClient("breaking", settings().withBreaker(10, 4, Duration.ofSeconds(60)), clock, meters);
        behaviour.set(answer(500, ""));
        // 4 calls judged (minimum), all failed: the breaker opens
        client.call(PartnerRequest.get("/a"), b -> b);
        client.call(PartnerRequest.get("/a"), b -> b);
        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(meters.get("bridge.partner.breaker.state").tag("partner", "breaking").gauge().value()).isEqualTo(1);
        int sent = requests.get();
        assertThat(client.call(PartnerRequest.get("/a"), b -> b))
                .isEqualTo(new PartnerOutcome.Retryable<>("not sent: breaking circuit breaker open"));
        assertThat(requests.get()).as("nothing reaches a partner while the breaker is open").isEqualTo(sent);

        // the partner comes back; 59 s later the breaker is still open, once 60 s have passed it lets trial calls through
        behaviour.set(answer(200, "{\"id\":\"ok\"}"));
        clock.advance(Duration.ofSeconds(59));
        assertThat(client.call(PartnerRequest.get("/a"), PartnerClientTest::readId).isSuccess()).isFalse();
        clock.advance(Duration.ofMillis(1001));
        for (int i = 0; i < 3; i++) {
            assertThat(client.call(PartnerRequest.get("/a"), PartnerClientTest::readId).isSuccess()).isTrue();
        }
        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions("CLOSED", "OPEN")).isEqualTo(1);
        assertThat(transitions("OPEN", "HALF_OPEN")).isEqualTo(1);
        assertThat(transitions("HALF_OPEN", "CLOSED")).isEqualTo(1);
        assertThat(meters.get("bridge.partner.breaker.state").tag("partner", "breaking").gauge().value()).isZero();
        assertThat(meters.get("bridge.partner.calls").tag("partner", "breaking").tag("outcome", "not_permitted").timer().count())
                .isEqualTo(2);
    }

    @Test
    void refusalsDoNotOpenTheBreaker() {
        behaviour.set(answer(404, ""));
        for (int i = 0; i < 10; i++) {
            assertThat(client.call(PartnerRequest.get("/missing"), b -> b)).isInstanceOf(PartnerOutcome.Permanent.class);
        }
        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theBulkheadTurnsAwayCallsBeyondItsLimitAtOnce() throws Exception {
        PartnerSettings one = settings();
        one = new PartnerSettings(one.baseUrl(), one.connectTimeout(), Duration.ofSeconds(5), 1, one.retryBackoff(),
                one.breakerWindow(), one.breakerMinimumCalls(), one.breakerFailureRatePercent(), Duration.ofSeconds(5),
                one.breakerOpenFor(), one.breakerHalfOpenCalls(), 1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        behaviour.set(exchange -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(200, "{}").handle(exchange);
        });
        try (PartnerClient narrow = new PartnerClient("narrow", one, clock, meters);
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<PartnerOutcome<String>> first = pool.submit(() -> narrow.call(PartnerRequest.get("/slow"), b -> b));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(narrow.call(PartnerRequest.get("/slow"), b -> b))
                    .isEqualTo(new PartnerOutcome.Retryable<>("not sent: narrow bulkhead full"));
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
    }

    private double transitions(String from, String to) {
        var counter = meters.find("bridge.partner.breaker.transitions").tag("partner", "breaking")
                .tag("from", from).tag("to", to).counter();
        return counter == null ? 0 : counter.count();
    }
}
