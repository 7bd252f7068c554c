package bridge.support.partner;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP client for partner systems we do not own (local housing authorities, DWP), written
 * once: a deadline on every attempt, retry with backoff only for repeatable requests (reads, and
 * writes carrying an Idempotency-Key), a circuit breaker and a bulkhead per partner, Micrometer
 * metrics, and every result classified as success, retryable or permanent ({@link PartnerOutcome})
 * so that outbox handlers map it straight onto deliver / retry / reject. It never throws for the
 * partner's trouble.
 *
 * <p>Metrics (tag {@code partner}): timer {@code bridge.partner.calls} (tag {@code outcome}:
 * success, retryable, permanent, not_permitted), counter {@code bridge.partner.breaker.transitions}
 * (tags {@code from}, {@code to}) and gauge {@code bridge.partner.breaker.state} (0 closed, 1 open,
 * 2 half-open, 3 other).
 */
public final class PartnerClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartnerClient.class);
    private static final int MAX_REASON_BODY = 200;

    /** Reads a 2xx body; any exception means the partner answered something we cannot use. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(String body) throws Exception;
    }

    private final String partner;
    private final PartnerSettings settings;
    private final HttpClient http;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final MeterRegistry meters;

    /**
     * @param clock drives the breaker's open period, so tests (and the outbox's controllable clock)
     *              can let a simulated outage pass without waiting for it
     */
    public PartnerClient(String partner, PartnerSettings settings, Clock clock, MeterRegistry meters) {
        this.partner = partner;
        this.settings = settings;
        this.meters = meters;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.breaker = CircuitBreaker.of("partner-" + partner, CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRatePercent())
                .slowCallDurationThreshold(settings.breakerSlowCall())
                .slowCallRateThreshold(settings.breakerFailureRatePercent())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(settings.breakerHalfOpenCalls())
                // the next call after the open period (by the given clock) moves it to half-open
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        this.bulkhead = Bulkhead.of("partner-" + partner, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            log.warn("partner {} circuit breaker {}", partner, e.getStateTransition());
            Counter.builder("bridge.partner.breaker.transitions").tag("partner", partner)
                    .tag("from", e.getStateTransition().getFromState().name())
                    .tag("to", e.getStateTransition().getToState().name())
                    .register(meters).increment();
        });
        Gauge.builder("bridge.partner.breaker.state", breaker, b -> switch (b.getState()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        }).tag("partner", partner).register(meters);
    }

    public String partner() {
        return partner;
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** Calls the partner; the outcome says what happened, nothing is thrown for the partner's faults. */
    public <T> PartnerOutcome<T> call(PartnerRequest request, BodyReader<T> reader) {
        int attempts = request.isRepeatable() ? settings.maxAttempts() : 1;
        PartnerOutcome<T> outcome = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            outcome = attempt(request, reader);
            if (!(outcome instanceof PartnerOutcome.Retryable<T> r) || attempt == attempts
                    || r.reason().startsWith(NOT_PERMITTED)) {
                break;
            }
            if (!pause(settings.retryBackoff().multipliedBy(1L << (attempt - 1)))) {
                break;
            }
        }
        return outcome;
    }

    private static final String NOT_PERMITTED = "not sent: ";

    private <T> PartnerOutcome<T> attempt(PartnerRequest request, BodyReader<T> reader) {
        long start = System.nanoTime();
        if (!bulkhead.tryAcquirePermission()) {
            return record(start, new PartnerOutcome.Retryable<>(NOT_PERMITTED + partner + " bulkhead full"), "not_permitted");
        }
        try {
            if (!breaker.tryAcquirePermission()) {
                return record(start, new PartnerOutcome.Retryable<>(NOT_PERMITTED + partner + " circuit breaker open"),
                        "not_permitted");
            }
            CompletableFuture<HttpResponse<String>> pending = http.sendAsync(httpRequest(request),
                    HttpResponse.BodyHandlers.ofString());
            try {
                // the deadline covers the whole exchange, body included, not only the headers
                HttpResponse<String> response = pending.get(settings.deadline().toMillis(), TimeUnit.MILLISECONDS);
                return classify(start, response, reader);
            } catch (TimeoutException e) {
                pending.cancel(true);
                return failure(start, "no answer within " + settings.deadline().toMillis() + " ms", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                    // the request's own timeout is the same deadline as the wait above: whichever fires
                    // first, the caller sees one reason
                    return failure(start, "no answer within " + settings.deadline().toMillis() + " ms", cause);
                }
                String what = cause instanceof HttpTimeoutException ? "timed out" : "connection failed";
                return failure(start, what + " (" + cause.getClass().getSimpleName() + ")", cause);
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                breaker.releasePermission();
                return record(start, new PartnerOutcome.Retryable<>("interrupted"), "retryable");
            }
        } finally {
            bulkhead.onComplete();
        }
    }

    private <T> PartnerOutcome<T> classify(long start, HttpResponse<String> response, BodyReader<T> reader) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            T value;
            try {
                value = reader.read(response.body());
            } catch (Exception e) {
                return failure(start, "malformed " + status + " response body (" + e.getClass().getSimpleName() + ")", e);
            }
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return record(start, new PartnerOutcome.Success<>(status, value), "success");
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return failure(start, "HTTP " + status, new IOException("HTTP " + status));
        }
        // The partner is up and refused this request: not a partner failure, never counted against it.
        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return record(start, new PartnerOutcome.Permanent<>(status, "HTTP " + status + ": " + abbreviate(response.body())),
                "permanent");
    }

    private <T> PartnerOutcome<T> failure(long start, String reason, Throwable cause) {
        breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, cause);
        return record(start, new PartnerOutcome.Retryable<>(reason), "retryable");
    }

    private <T> PartnerOutcome<T> record(long start, PartnerOutcome<T> outcome, String kind) {
        Timer.builder("bridge.partner.calls").tag("partner", partner).tag("outcome", kind)
                .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return outcome;
    }

    private HttpRequest httpRequest(PartnerRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(settings.baseUrl() + request.path()))
                .timeout(settings.deadline())
                .header("Accept", "application/json");
        request.headers().forEach(b::header);
        if (request.idempotencyKey() != null && !request.idempotencyKey().isBlank()) {
            b.header("Idempotency-Key", request.idempotencyKey());
        }
        if (request.body() != null) {
            b.header("Content-Type", "application/json");
            b.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
        } else {
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_REASON_BODY ? oneLine : oneLine.substring(0, MAX_REASON_BODY) + "…";
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
