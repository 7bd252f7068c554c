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
import java.util.ArrayList;
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
 *
 * <p>Delivered messages are kept for a retention period (to answer "was it sent, and when?"), then
 * deleted by the same background loop, in bounded batches ({@link #purgeDelivered()}). Dead letters
 * are never deleted here: they wait for an operator.
 */
public final class OutboxDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int MAX_ERROR_LENGTH = 500;
    /** How long DELIVERED messages are kept unless configured otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** Messages deleted per delete ({@code _id $in}: one lookup per id on any server). */
    static final int PURGE_BATCH = 500;
    /** Messages one purge deletes at most per channel, so that a large backlog of expired messages never holds up delivery long. */
    static final int PURGE_LIMIT = 10_000;
    /** How often the background loop purges: finding expired messages reads the collection on the embedded server. */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private final Outbox outbox;
    private final Map<String, OutboxHandler> handlers;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Duration retention;
    private Instant nextPurge = Instant.MIN;
    private final Map<String, ChannelMeters> meters = new LinkedHashMap<>();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler;

    /** A dispatcher that keeps DELIVERED messages for {@link #DEFAULT_RETENTION}. */
    public OutboxDispatcher(Outbox outbox, List<OutboxHandler> handlers, RetryPolicy policy, Clock clock,
                            MeterRegistry meters) {
        this(outbox, handlers, policy, DEFAULT_RETENTION, clock, meters);
    }

    /** {@code retention}: how long a DELIVERED message is kept after its delivery; zero keeps them all. */
    public OutboxDispatcher(Outbox outbox, List<OutboxHandler> handlers, RetryPolicy policy, Duration retention,
                            Clock clock, MeterRegistry meters) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative, was " + retention);
        }
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
        try {
            Instant now = clock.instant();
            if (!now.isBefore(nextPurge)) {
                nextPurge = now.plus(PURGE_INTERVAL);
                purgeDelivered();
            }
        } catch (RuntimeException | Error e) {
            log.warn("outbox purge of delivered messages failed; trying again in {}", PURGE_INTERVAL, e);
        }
    }

    /**
     * Deletes the handled channels' DELIVERED messages delivered longer than the retention ago: per
     * channel at most {@link #PURGE_LIMIT}, found in one read and deleted by id in batches of
     * {@link #PURGE_BATCH} (the rest go in a later purge). Dead letters and undelivered messages stay.
     * The background loop calls this every {@link #PURGE_INTERVAL}.
     *
     * @return how many messages were deleted
     */
    public long purgeDelivered() {
        if (retention.isZero()) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(retention);
        long deleted = 0;
        for (Map.Entry<String, ChannelMeters> channel : meters.entrySet()) {
            List<String> batch = new ArrayList<>(PURGE_BATCH);
            try (MongoCursor<Document> expired = outbox.deliveredBefore(channel.getKey(), cutoff, PURGE_LIMIT)) {
                while (expired.hasNext()) {
                    batch.add(expired.next().getString("_id"));
                    if (batch.size() == PURGE_BATCH) {
                        deleted += deleteBatch(channel.getValue(), batch);
                    }
                }
            }
            deleted += deleteBatch(channel.getValue(), batch);
        }
        return deleted;
    }

    private long deleteBatch(ChannelMeters channel, List<String> ids) {
        long deleted = outbox.deleteDelivered(ids);
        channel.purged.increment(deleted);
        ids.clear();
        return deleted;
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
        final Counter purged;
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
            this.purged = Counter.builder("bridge.outbox.purged").tag("channel", channel)
                    .description("delivered outbox messages deleted after the retention period").register(registry);
            this.delivery = Timer.builder("bridge.outbox.delivery").tag("channel", channel)
                    .description("time the handler took for one delivery attempt").register(registry);
            Gauge.builder("bridge.outbox.pending", pending, AtomicLong::get).tag("channel", channel)
                    .description("outbox messages awaiting delivery (PENDING or IN_FLIGHT)").register(registry);
        }
    }
}
