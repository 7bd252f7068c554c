package bridge.support.outbox;

import bridge.support.time.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private static MongoClient client;
    private MongoDatabase database;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
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

    @Test
    void enqueueStoresAPendingMessageDueNow() {
        OutboxMessage message = outbox.enqueue("webhooks", "sub-1", "referral-1:created", "{\"a\":1}",
                Map.of("url", "https://example.org/hook"));

        assertThat(message.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(message.attempts()).isZero();
        assertThat(message.enqueuedAt()).isEqualTo(clock.instant());
        assertThat(message.nextAttemptAt()).isEqualTo(clock.instant());
        assertThat(message.deliveredAt()).isNull();
        assertThat(outbox.find(message.id())).contains(message);
        assertThat(message.attributes()).containsEntry("url", "https://example.org/hook");
        assertThat(message.payload()).isEqualTo("{\"a\":1}");
    }

    @Test
    void theSameIdempotencyKeyReturnsTheExistingMessageAndNeverASecond() {
        OutboxMessage first = outbox.enqueue("webhooks", "sub-1", "op-1", "{\"v\":1}", Map.of());
        clock.advance(Duration.ofMinutes(1));
        OutboxMessage again = outbox.enqueue("webhooks", "sub-2", "op-1", "{\"v\":2}", Map.of("x", "y"));

        assertThat(again).isEqualTo(first);
        assertThat(outbox.countByStatus("webhooks", OutboxStatus.PENDING)).isEqualTo(1);
        assertThat(database.getCollection(Outbox.COLLECTION).countDocuments()).isEqualTo(1);
    }

    @Test
    void aUniqueIndexRefusesASecondDocumentForTheSameChannelAndKey() {
        OutboxMessage first = outbox.enqueue("webhooks", "sub-1", "op-1", "{}", Map.of());

        // what a racing enqueue that passed the look-up would do: the index, not the look-up, stops it
        assertThatThrownBy(() -> database.getCollection(Outbox.COLLECTION).insertOne(
                new Document("_id", Ids.next()).append("channel", "webhooks").append("idempotencyKey", "op-1")))
                .isInstanceOf(MongoWriteException.class);
        assertThat(outbox.find(first.id())).isPresent();
    }

    @Test
    void theIdempotencyKeyIsScopedToItsChannel() {
        OutboxMessage webhook = outbox.enqueue("webhooks", "k", "op-1", "{}", Map.of());
        OutboxMessage housing = outbox.enqueue("housing", "k", "op-1", "{}", Map.of());

        assertThat(housing.id()).isNotEqualTo(webhook.id());
        assertThat(database.getCollection(Outbox.COLLECTION).countDocuments()).isEqualTo(2);
    }

    @Test
    void threadsRacingOnTheSameKeyGetOneMessage() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                String key = "op-" + round;
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<OutboxMessage>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String payload = "{\"thread\":" + t + "}";
                    results.add(pool.submit(() -> {
                        start.await(5, TimeUnit.SECONDS);
                        return outbox.enqueue("webhooks", "sub-1", key, payload, Map.of());
                    }));
                }
                Set<String> ids = new HashSet<>();
                for (Future<OutboxMessage> result : results) {
                    ids.add(result.get(10, TimeUnit.SECONDS).id());
                }
                assertThat(ids).as("round %d", round).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(database.getCollection(Outbox.COLLECTION).countDocuments()).isEqualTo(10);
    }

    @Test
    void sequenceFollowsEnqueueOrderAndByOrderingKeyListsInThatOrder() {
        OutboxMessage a1 = outbox.enqueue("webhooks", "a", "1", "{}", Map.of());
        OutboxMessage b1 = outbox.enqueue("webhooks", "b", "2", "{}", Map.of());
        OutboxMessage a2 = outbox.enqueue("webhooks", "a", "3", "{}", Map.of());
        OutboxMessage a3 = outbox.enqueue("webhooks", "a", "4", "{}", Map.of());

        assertThat(a1.sequence()).isLessThan(b1.sequence());
        assertThat(b1.sequence()).isLessThan(a2.sequence());
        assertThat(outbox.byOrderingKey("webhooks", "a")).extracting(OutboxMessage::id)
                .containsExactly(a1.id(), a2.id(), a3.id());
        assertThat(outbox.byOrderingKey("housing", "a")).isEmpty();
    }

    @Test
    void replayIsOnlyForDeadLetters() {
        OutboxMessage pending = outbox.enqueue("webhooks", "a", "1", "{}", Map.of());

        assertThat(outbox.replay(pending.id())).isFalse();
        assertThat(outbox.replay("nosuchmessageid23456")).isFalse();
        assertThat(outbox.replay(null)).isFalse();
        assertThat(outbox.find(pending.id()).orElseThrow().status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(outbox.deadLetters("webhooks", 10)).isEmpty();
        assertThat(outbox.find("nosuchmessageid23456")).isEmpty();
    }

    @Test
    void enqueueRefusesMissingParts() {
        assertThatThrownBy(() -> outbox.enqueue(" ", "a", "1", "{}", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.enqueue("c", null, "1", "{}", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.enqueue("c", "a", "", "{}", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.enqueue("c", "a", "1", null, Map.of())).isInstanceOf(NullPointerException.class);
        assertThat(database.getCollection(Outbox.COLLECTION).countDocuments()).isZero();
    }
}
