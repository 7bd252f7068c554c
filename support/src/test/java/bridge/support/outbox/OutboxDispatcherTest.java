package bridge.support.outbox;

import bridge.support.time.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxDispatcherTest {

    private static final String CHANNEL = "webhooks";
    private static final RetryPolicy POLICY =
            new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 5, Duration.ofSeconds(30));

    private static MongoClient client;
    private MongoDatabase database;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private Outbox outbox;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(EmbeddedMongo.uri());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void freshDatabase() {
        database = client.getDatabase("outbox-" + Ids.next());
        outbox = new Outbox(database, clock);
    }

    /** A receiver the test controls: records every call, answers with the current behaviour. */
    static final class Receiver implements OutboxHandler {
        final String channel;
        final List<OutboxMessage> calls = new CopyOnWriteArrayList<>();
        volatile Function<OutboxMessage, DeliveryOutcome> behaviour = message -> DeliveryOutcome.delivered();

        Receiver(String channel) {
            this.channel = channel;
        }

        @Override
        public String channel() {
            return channel;
        }

        @Override
        public DeliveryOutcome deliver(OutboxMessage message) {
            calls.add(message);
            return behaviour.apply(message);
        }
    }

    private OutboxDispatcher dispatcher(Receiver receiver, RetryPolicy policy) {
        return new OutboxDispatcher(outbox, List.of(receiver), policy, clock, meters);
    }

    private OutboxMessage enqueue(String orderingKey, String operation) {
        return outbox.enqueue(CHANNEL, orderingKey, operation, "{\"op\":\"" + operation + "\"}", Map.of("url", "https://r"));
    }

    private OutboxMessage stored(OutboxMessage message) {
        return outbox.find(message.id()).orElseThrow();
    }

    @Test
    void aReceiverDownForThirtyMinutesGetsEverythingAfterwardsInOrderOnceEach() {
        Receiver receiver = new Receiver(CHANNEL);
        AtomicBoolean down = new AtomicBoolean(true);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        List<String> acceptedOrder = new CopyOnWriteArrayList<>();
        receiver.behaviour = message -> {
            if (down.get()) {
                return DeliveryOutcome.retry("503 Service Unavailable");
            }
            accepted.add(message.id());
            acceptedOrder.add(message.id());
            return DeliveryOutcome.delivered();
        };
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 300, Duration.ofMinutes(2));
        OutboxDispatcher dispatcher = dispatcher(receiver, policy);

        Map<String, List<String>> enqueued = new LinkedHashMap<>();
        Instant outageEnds = clock.instant().plus(Duration.ofMinutes(30));
        int step = 0;
        while (clock.instant().isBefore(outageEnds)) {
            // work keeps arriving during the outage, for three receivers' streams
            if (step % 6 == 0) {
                String key = "sub-" + (step / 6 % 3);
                enqueued.computeIfAbsent(key, k -> new ArrayList<>()).add(enqueue(key, "op-" + step).id());
            }
            dispatcher.runOnce();
            clock.advance(Duration.ofSeconds(10));
            step++;
        }
        // while down only the head of each stream was tried: nothing later overtook it
        Set<String> heads = Set.of(enqueued.get("sub-0").getFirst(), enqueued.get("sub-1").getFirst(),
                enqueued.get("sub-2").getFirst());
        assertThat(receiver.calls).extracting(OutboxMessage::id).allMatch(heads::contains);
        assertThat(outbox.countByStatus(CHANNEL, OutboxStatus.DEAD)).isZero();

        down.set(false);
        for (int i = 0; i < 40 && outbox.countByStatus(CHANNEL, OutboxStatus.DELIVERED) < 30; i++) {
            clock.advance(Duration.ofSeconds(10));
            dispatcher.runOnce();
        }

        int total = enqueued.values().stream().mapToInt(List::size).sum();
        assertThat(total).isEqualTo(30);
        assertThat(outbox.countByStatus(CHANNEL, OutboxStatus.DELIVERED)).isEqualTo(total);
        assertThat(acceptedOrder).hasSize(total).doesNotHaveDuplicates();
        enqueued.forEach((key, ids) -> {
            List<String> order = acceptedOrder.stream().filter(ids::contains).toList();
            assertThat(order).as("delivery order of %s", key).containsExactlyElementsOf(ids);
        });
        assertThat(outbox.byOrderingKey(CHANNEL, "sub-0")).allMatch(m -> m.status() == OutboxStatus.DELIVERED
                && m.deliveredAt() != null && !m.deliveredAt().isBefore(outageEnds));
    }

    @Test
    void failuresAreRetriedAfterGrowingJitteredBackoffs() {
        Receiver receiver = new Receiver(CHANNEL);
        receiver.behaviour = message -> DeliveryOutcome.retry("timeout");
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8), 10, Duration.ofSeconds(30));
        OutboxDispatcher dispatcher = dispatcher(receiver, policy);
        OutboxMessage message = enqueue("sub-1", "op-1");

        long[] expectedMillis = {1000, 2000, 4000, 8000, 8000, 8000};
        for (int attempt = 1; attempt <= expectedMillis.length; attempt++) {
            assertThat(dispatcher.runOnce()).isEqualTo(1);
            OutboxMessage after = stored(message);
            assertThat(after.status()).isEqualTo(OutboxStatus.PENDING);
            assertThat(after.attempts()).isEqualTo(attempt);
            assertThat(after.lastError()).isEqualTo("timeout");
            long waited = Duration.between(clock.instant(), after.nextAttemptAt()).toMillis();
            long expected = expectedMillis[attempt - 1];
            assertThat(waited).as("backoff after attempt %d", attempt)
                    .isBetween(Math.round(expected * 0.8), Math.round(expected * 1.2));
            // not due a moment before its time
            clock.set(after.nextAttemptAt().minusMillis(1));
            assertThat(dispatcher.runOnce()).isZero();
            clock.set(after.nextAttemptAt());
        }
        assertThat(receiver.calls).hasSize(expectedMillis.length);
    }

    @Test
    void backoffAfterGrowsIsCappedAndJittered() {
        RetryPolicy policy = RetryPolicy.defaults();
        Set<Long> distinct = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 200; i++) {
            long first = policy.backoffAfter(1).toMillis();
            assertThat(first).isBetween(800L, 1200L);
            distinct.add(first);
            assertThat(policy.backoffAfter(4).toMillis()).isBetween(6400L, 9600L);
            assertThat(policy.backoffAfter(50).toMillis()).isBetween(240_000L, 360_000L);
            assertThat(policy.backoffAfter(Integer.MAX_VALUE).toMillis()).isBetween(240_000L, 360_000L);
        }
        assertThat(distinct).hasSizeGreaterThan(10);
        // the default budget rides out a whole day's outage (mean of the jitter)
        long total = 0;
        for (int attempts = 1; attempts < policy.maxAttempts(); attempts++) {
            total += Math.min(1000L << Math.min(attempts - 1, 20), 300_000L);
        }
        assertThat(Duration.ofMillis(total)).isGreaterThan(Duration.ofHours(24));
    }

    @Test
    void aRejectedMessageIsDeadAtOnceAndNoLongerBlocksItsKey() {
        Receiver receiver = new Receiver(CHANNEL);
        OutboxMessage bad = enqueue("sub-1", "op-1");
        OutboxMessage next = enqueue("sub-1", "op-2");
        receiver.behaviour = message -> message.id().equals(bad.id())
                ? DeliveryOutcome.reject("422 unknown subscription") : DeliveryOutcome.delivered();

        assertThat(dispatcher(receiver, POLICY).runOnce()).isEqualTo(2);

        OutboxMessage dead = stored(bad);
        assertThat(dead.status()).isEqualTo(OutboxStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.lastError()).contains("422 unknown subscription");
        assertThat(stored(next).status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(outbox.deadLetters(CHANNEL, 10)).extracting(OutboxMessage::id).containsExactly(bad.id());
        assertThat(receiver.calls).extracting(OutboxMessage::id).containsExactly(bad.id(), next.id());
    }

    @Test
    void aMessageOutOfRetryBudgetBecomesDead() {
        Receiver receiver = new Receiver(CHANNEL);
        receiver.behaviour = message -> {
            throw new IllegalStateException("connection refused");
        };
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 3, Duration.ofSeconds(30));
        OutboxDispatcher dispatcher = dispatcher(receiver, policy);
        OutboxMessage message = enqueue("sub-1", "op-1");

        for (int i = 0; i < 10; i++) {
            dispatcher.runOnce();
            clock.advance(Duration.ofMinutes(5));
        }

        OutboxMessage dead = stored(message);
        assertThat(receiver.calls).hasSize(3);
        assertThat(dead.status()).isEqualTo(OutboxStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastError()).contains("gave up after 3 attempts").contains("connection refused");
    }

    @Test
    void aReplayedDeadLetterIsDeliveredWithAFreshBudget() {
        Receiver receiver = new Receiver(CHANNEL);
        receiver.behaviour = message -> DeliveryOutcome.reject("410 gone");
        OutboxDispatcher dispatcher = dispatcher(receiver, POLICY);
        OutboxMessage message = enqueue("sub-1", "op-1");
        dispatcher.runOnce();
        assertThat(stored(message).status()).isEqualTo(OutboxStatus.DEAD);

        receiver.behaviour = m -> DeliveryOutcome.delivered();
        clock.advance(Duration.ofHours(3));
        assertThat(outbox.replay(message.id())).isTrue();
        OutboxMessage replayed = stored(message);
        assertThat(replayed.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(replayed.attempts()).isZero();
        assertThat(replayed.nextAttemptAt()).isEqualTo(clock.instant());
        assertThat(outbox.deadLetters(CHANNEL, 10)).isEmpty();

        assertThat(dispatcher.runOnce()).isEqualTo(1);
        OutboxMessage delivered = stored(message);
        assertThat(delivered.status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(delivered.deliveredAt()).isEqualTo(clock.instant());
        assertThat(outbox.replay(message.id())).isFalse();
    }

    @Test
    void aMessageLeftInFlightByACrashedProcessIsRedeliveredOnceItsLeaseExpires() {
        Receiver receiver = new Receiver(CHANNEL);
        OutboxDispatcher dispatcher = dispatcher(receiver, POLICY);
        OutboxMessage first = enqueue("sub-1", "op-1");
        OutboxMessage second = enqueue("sub-1", "op-2");
        // a replica claimed the first message and died before recording an outcome
        Instant now = clock.instant();
        assertThat(outbox.claim(first.id(), now, now.plus(POLICY.lease()), "crashed-replica")).isPresent();

        assertThat(dispatcher.runOnce()).as("lease still held: neither the message nor its successor").isZero();
        clock.advance(POLICY.lease().minusMillis(1));
        assertThat(dispatcher.runOnce()).isZero();

        clock.advance(Duration.ofMillis(1));
        assertThat(dispatcher.runOnce()).isEqualTo(2);
        assertThat(receiver.calls).extracting(OutboxMessage::id).containsExactly(first.id(), second.id());
        assertThat(stored(first).status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(stored(first).attempts()).isEqualTo(2);
        assertThat(stored(second).status()).isEqualTo(OutboxStatus.DELIVERED);
        // the crashed replica's late outcome, should it come back, changes nothing
        assertThat(outbox.markRetry(first.id(), "crashed-replica", clock.instant(), "late")).isFalse();
        assertThat(stored(first).status()).isEqualTo(OutboxStatus.DELIVERED);
    }

    @Test
    void aLeaseThatExpiresOnTheLastAllowedAttemptMakesTheMessageDeadWithoutAnotherTry() {
        Receiver receiver = new Receiver(CHANNEL);
        RetryPolicy once = new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 1, Duration.ofSeconds(30));
        OutboxMessage message = enqueue("sub-1", "op-1");
        Instant now = clock.instant();
        outbox.claim(message.id(), now, now.plus(once.lease()), "crashed-replica");
        clock.advance(Duration.ofMinutes(1));

        assertThat(dispatcher(receiver, once).runOnce()).isEqualTo(1);

        assertThat(receiver.calls).isEmpty();
        assertThat(stored(message).status()).isEqualTo(OutboxStatus.DEAD);
        assertThat(stored(message).lastError()).contains("lease expired");
    }

    @Test
    void twoDispatchersOnOneCollectionNeverDeliverAMessageTwiceOrConcurrently() throws Exception {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Set<String> inFlightKeys = ConcurrentHashMap.newKeySet();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<String, List<Long>> sequencesByKey = new ConcurrentHashMap<>();
        OutboxHandler shared = new OutboxHandler() {
            @Override
            public String channel() {
                return CHANNEL;
            }

            @Override
            public DeliveryOutcome deliver(OutboxMessage message) {
                if (!inFlightKeys.add(message.orderingKey())) {
                    violations.add("two deliveries at once for key " + message.orderingKey());
                }
                try {
                    deliveries.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
                    sequencesByKey.computeIfAbsent(message.orderingKey(), k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(message.sequence());
                    for (int i = 0; i < 200; i++) {
                        Thread.yield(); // widen the window in which the other replica could interfere
                    }
                    return DeliveryOutcome.delivered();
                } finally {
                    inFlightKeys.remove(message.orderingKey());
                }
            }
        };
        int messages = 60;
        for (int i = 0; i < messages; i++) {
            enqueue("sub-" + (i % 6), "op-" + i);
        }
        // two replicas: own clients, own Outbox and dispatcher, same database
        try (MongoClient otherClient = MongoClients.create(EmbeddedMongo.uri())) {
            Outbox otherOutbox = new Outbox(otherClient.getDatabase(database.getName()), clock);
            OutboxDispatcher one = new OutboxDispatcher(outbox, List.of(shared), POLICY, clock, meters);
            OutboxDispatcher two = new OutboxDispatcher(otherOutbox, List.of(shared), POLICY, clock, new SimpleMeterRegistry());
            ExecutorService replicas = Executors.newFixedThreadPool(2);
            try {
                AtomicInteger attempts = new AtomicInteger();
                for (int round = 0; round < 50 && outbox.countByStatus(CHANNEL, OutboxStatus.DELIVERED) < messages; round++) {
                    CountDownLatch go = new CountDownLatch(1);
                    Future<Integer> a = replicas.submit(() -> {
                        go.await();
                        return one.runOnce();
                    });
                    Future<Integer> b = replicas.submit(() -> {
                        go.await();
                        return two.runOnce();
                    });
                    go.countDown();
                    attempts.addAndGet(a.get(30, TimeUnit.SECONDS) + b.get(30, TimeUnit.SECONDS));
                }
                assertThat(attempts.get()).isEqualTo(messages);
            } finally {
                replicas.shutdownNow();
            }
        }
        assertThat(violations).isEmpty();
        assertThat(deliveries).hasSize(messages);
        assertThat(deliveries.values()).allMatch(count -> count.get() == 1);
        assertThat(outbox.countByStatus(CHANNEL, OutboxStatus.DELIVERED)).isEqualTo(messages);
        sequencesByKey.values().forEach(sequence -> assertThat(sequence).isSorted());
    }

    @Test
    void onlyTheHandledChannelsAreTouched() {
        Receiver receiver = new Receiver(CHANNEL);
        OutboxMessage other = outbox.enqueue("housing", "authority-1", "op-1", "{}", Map.of());
        OutboxMessage mine = enqueue("sub-1", "op-1");

        assertThat(dispatcher(receiver, POLICY).runOnce()).isEqualTo(1);

        assertThat(stored(mine).status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(stored(other).status()).isEqualTo(OutboxStatus.PENDING);
    }

    @Test
    void metricsCountDeliveriesRetriesDeadLettersAndPending() {
        Receiver receiver = new Receiver(CHANNEL);
        OutboxMessage ok = enqueue("a", "op-1");
        OutboxMessage flaky = enqueue("b", "op-2");
        OutboxMessage bad = enqueue("c", "op-3");
        enqueue("b", "op-4"); // waits behind flaky
        receiver.behaviour = message -> {
            if (message.id().equals(flaky.id())) {
                return DeliveryOutcome.retry("503");
            }
            return message.id().equals(bad.id()) ? DeliveryOutcome.reject("400") : DeliveryOutcome.delivered();
        };
        OutboxDispatcher dispatcher = dispatcher(receiver, POLICY);

        dispatcher.runOnce();

        assertThat(meters.counter("bridge.outbox.delivered", "channel", CHANNEL).count()).isEqualTo(1.0);
        assertThat(meters.counter("bridge.outbox.retried", "channel", CHANNEL).count()).isEqualTo(1.0);
        assertThat(meters.counter("bridge.outbox.dead", "channel", CHANNEL).count()).isEqualTo(1.0);
        assertThat(meters.get("bridge.outbox.pending").tag("channel", CHANNEL).gauge().value()).isEqualTo(2.0);
        assertThat(meters.get("bridge.outbox.delivery").tag("channel", CHANNEL).timer().count()).isEqualTo(3);
        assertThat(stored(ok).status()).isEqualTo(OutboxStatus.DELIVERED);

        receiver.behaviour = message -> DeliveryOutcome.delivered();
        clock.advance(Duration.ofMinutes(1));
        dispatcher.runOnce();

        assertThat(meters.counter("bridge.outbox.delivered", "channel", CHANNEL).count()).isEqualTo(3.0);
        assertThat(meters.get("bridge.outbox.pending").tag("channel", CHANNEL).gauge().value()).isZero();
    }

    @Test
    void startDeliversInTheBackgroundSurvivesAFailingPassAndCloseStopsIt() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        Receiver receiver = new Receiver(CHANNEL);
        OutboxMessage poison = enqueue("a", "op-1");
        OutboxMessage good = enqueue("b", "op-2");
        receiver.behaviour = message -> {
            if (message.id().equals(poison.id()) && passes.getAndIncrement() == 0) {
                throw new AssertionError("escapes the handler: fails the whole pass");
            }
            if (message.id().equals(good.id())) {
                delivered.countDown();
            }
            return DeliveryOutcome.delivered();
        };
        OutboxDispatcher dispatcher = dispatcher(receiver, POLICY);
        try {
            dispatcher.start(Duration.ofMillis(20));
            assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            dispatcher.close();
        }
        assertThat(stored(good).status()).isEqualTo(OutboxStatus.DELIVERED);
        // the poison message stays claimed until its lease runs out; the loop went on regardless
        assertThat(stored(poison).status()).isEqualTo(OutboxStatus.IN_FLIGHT);

        int callsAfterClose = receiver.calls.size();
        enqueue("c", "op-3");
        Thread.sleep(100);
        assertThat(receiver.calls).hasSize(callsAfterClose);
    }
}
