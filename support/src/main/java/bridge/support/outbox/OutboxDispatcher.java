package bridge.support.outbox;

import bridge.support.mongo.Ids;
import com.mongodb.client.MongoCursor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers due outbox messages to their channel's handler: in enqueue order per (channel,
 * orderingKey), each claimed under a lease so that replicas sharing the collection never deliver
 * one message concurrently, retried with backoff, dead-lettered when rejected or out of budget.
 * Only the channels it has handlers for are touched. See docs/adr/0006-outbox.md.
 */
public final class OutboxDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private final Outbox outbox;
    private final Map<String, OutboxHandler> handlers;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Map<String, ChannelMeters> meters = new LinkedHashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler;

    public OutboxDispatcher(Outbox outbox, List<OutboxHandler> handlers, RetryPolicy policy, Clock clock,
                            MeterRegistry meters) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(meters, "meters");
        Map<String, OutboxHandler> byChannel = new LinkedHashMap<>();
        for (OutboxHandler handler : handlers) {
            if (byChannel.putIfAbsent(handler.channel(), handler) != null) {
                throw new IllegalArgumentException("two handlers for channel " + handler.channel());
            }
            this.meters.put(handler.channel(), new ChannelMeters(handler.channel(), meters));
        }
        this.handlers = Map.copyOf(byChannel);
    }

    /**
     * One pass over every due message of the handled channels, in enqueue order; each is attempted at
     * most once per pass. A message is skipped while an earlier one of its key is unfinished, so after
     * an outage a key's backlog goes out in order within a single pass.
     *
     * @return how many delivery attempts were made
     */
    public int runOnce() {
        if (handlers.isEmpty()) {
            return 0;
        }
        int attempted = 0;
        Set<String> blockedKeys = new HashSet<>();
        Set<String> seen = new HashSet<>();
        try (MongoCursor<Document> due = outbox.dueCandidates(handlers.keySet(), clock.instant())) {
            while (due.hasNext()) {
                OutboxMessage candidate = Outbox.fromDocument(due.next());
                String key = candidate.channel() + '\u0000' + candidate.orderingKey();
                if (blockedKeys.contains(key) || !seen.add(candidate.id())) {
                    continue;
                }
                if (outbox.hasEarlierUnfinished(candidate)) {
                    blockedKeys.add(key);
                    continue;
                }
                String claimToken = Ids.next();
                Instant now = clock.instant();
                Optional<OutboxMessage> claimed = outbox.claim(candidate.id(), now, now.plus(policy.lease()), claimToken);
                if (claimed.isEmpty()) {
                    // another dispatcher holds it (or it just finished): later messages of the key must wait
                    blockedKeys.add(key);
                    continue;
                }
                attempted++;
                if (!attempt(claimed.get(), claimToken)) {
                    // still unfinished (retrying, or the lease was lost): later messages of the key wait
                    blockedKeys.add(key);
                }
            }
        }
        refreshPending();
        return attempted;
    }

    /** Runs {@link #runOnce()} every {@code pollInterval} on one background thread until {@link #close()}. */
    public void start(Duration pollInterval) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        synchronized (lifecycle) {
            if (scheduler != null) {
                throw new IllegalStateException("outbox dispatcher already started");
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "outbox-dispatcher");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::runSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the background loop, letting a delivery under way finish (up to the lease). */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (lifecycle) {
            stopping = scheduler;
            scheduler = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(policy.lease().toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException | Error e) {
            // a failing pass (Mongo unreachable...) must not end the loop: the next poll tries again
            log.warn("outbox dispatch pass failed", e);
        }
    }

    /**
     * One delivery attempt of a claimed message; true when it is finished (DELIVERED, or DEAD, which no
     * longer holds back later messages of its key).
     */
    private boolean attempt(OutboxMessage message, String claimToken) {
        ChannelMeters channel = meters.get(message.channel());
        if (message.attempts() > policy.maxAttempts()) {
            // the lease of the last allowed attempt ran out (the process died in it): do not start another
            return finish(channel, outbox.markDead(message.id(), claimToken,
                    "lease expired during the last of " + policy.maxAttempts() + " attempts"), channel.dead);
        }
        DeliveryOutcome outcome;
        long started = System.nanoTime();
        try {
            outcome = Objects.requireNonNull(handlers.get(message.channel()).deliver(message), "handler returned no outcome");
        } catch (RuntimeException e) {
            outcome = DeliveryOutcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            channel.delivery.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        Instant now = clock.instant();
        return switch (outcome) {
            case DeliveryOutcome.Delivered delivered ->
                    finish(channel, outbox.markDelivered(message.id(), claimToken, now), channel.delivered);
            case DeliveryOutcome.Reject reject -> finish(channel,
                    outbox.markDead(message.id(), claimToken, truncate("rejected: " + reject.reason())), channel.dead);
            case DeliveryOutcome.Retry retry -> {
                if (message.attempts() >= policy.maxAttempts()) {
                    yield finish(channel, outbox.markDead(message.id(), claimToken, truncate(
                            "gave up after " + message.attempts() + " attempts: " + retry.reason())), channel.dead);
                }
                Instant next = now.plus(policy.backoffAfter(message.attempts()));
                finish(channel, outbox.markRetry(message.id(), claimToken, next, truncate(retry.reason())), channel.retried);
                yield false;
            }
        };
    }

    /** Counts an outcome that was recorded; returns whether it was. */
    private boolean finish(ChannelMeters channel, boolean recorded, Counter counter) {
        if (recorded) {
            counter.increment();
        } else {
            // our lease ran out and another dispatcher took the message over: its outcome counts
            log.warn("outbox outcome not recorded on channel {}: lease lost", channel.name);
        }
        return recorded;
    }

    private void refreshPending() {
        meters.forEach((channel, channelMeters) -> channelMeters.pending.set(
                outbox.countByStatus(channel, OutboxStatus.PENDING) + outbox.countByStatus(channel, OutboxStatus.IN_FLIGHT)));
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }

    /** A channel's meters; pending is refreshed after each pass, not queried on every scrape. */
    private static final class ChannelMeters {
        final String name;
        final Counter delivered;
        final Counter retried;
        final Counter dead;
        final Timer delivery;
        final AtomicLong pending = new AtomicLong();

        ChannelMeters(String channel, MeterRegistry registry) {
            this.name = channel;
            this.delivered = Counter.builder("bridge.outbox.delivered").tag("channel", channel)
                    .description("outbox messages the receiver accepted").register(registry);
            this.retried = Counter.builder("bridge.outbox.retried").tag("channel", channel)
                    .description("outbox delivery attempts that failed and will be retried").register(registry);
            this.dead = Counter.builder("bridge.outbox.dead").tag("channel", channel)
                    .description("outbox messages that became dead letters").register(registry);
            this.delivery = Timer.builder("bridge.outbox.delivery").tag("channel", channel)
                    .description("time the handler took for one delivery attempt").register(registry);
            Gauge.builder("bridge.outbox.pending", pending, AtomicLong::get).tag("channel", channel)
                    .description("outbox messages awaiting delivery (PENDING or IN_FLIGHT)").register(registry);
        }
    }
}
