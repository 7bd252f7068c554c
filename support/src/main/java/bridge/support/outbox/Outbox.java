package bridge.support.outbox;

import bridge.support.mongo.Ids;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The write and operations side of the outbox: callers enqueue work for external receivers after
 * writing their own business document; operators list and replay dead letters. Delivery is the
 * {@link OutboxDispatcher}'s job. See docs/adr/0006-outbox.md.
 *
 * <p>Messages live in the collection {@code outbox}; the enqueue order comes from a counter document
 * in {@code outbox_sequence}.
 */
public final class Outbox {

    static final String COLLECTION = "outbox";
    static final String SEQUENCE_COLLECTION = "outbox_sequence";
    private static final int MAX_LIST = 1000;

    private static final List<String> AWAITING = List.of(OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name());

    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> sequences;
    private final Clock clock;

    public Outbox(MongoDatabase database, Clock clock) {
        this.messages = Objects.requireNonNull(database, "database").getCollection(COLLECTION);
        this.sequences = database.getCollection(SEQUENCE_COLLECTION);
        this.clock = Objects.requireNonNull(clock, "clock");
        // one message per business operation and channel, however often the caller retries
        messages.createIndex(Indexes.ascending("channel", "idempotencyKey"), new IndexOptions().unique(true));
        // the ordering check: earlier unfinished messages of the same key
        messages.createIndex(Indexes.ascending("channel", "orderingKey", "sequence"));
        // the dispatcher's scan for due messages, and the operators' lists
        messages.createIndex(Indexes.ascending("status", "channel", "sequence"));
    }

    /**
     * Adds a message, or returns the one already enqueued for (channel, idempotencyKey) unchanged:
     * callers derive the key from their business operation, so a retried request never sends twice.
     */
    public OutboxMessage enqueue(String channel, String orderingKey, String idempotencyKey, String payload,
                                 Map<String, String> attributes) {
        requireText(channel, "channel");
        requireText(orderingKey, "orderingKey");
        requireText(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(payload, "payload");
        Optional<OutboxMessage> existing = findByIdempotencyKey(channel, idempotencyKey);
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant now = now();
        Document attributesDocument = new Document();
        new TreeMap<>(attributes == null ? Map.<String, String>of() : attributes)
                .forEach(attributesDocument::append);
        Document document = new Document("_id", Ids.next())
                .append("channel", channel)
                .append("orderingKey", orderingKey)
                .append("idempotencyKey", idempotencyKey)
                .append("payload", payload)
                .append("attributes", attributesDocument)
                .append("sequence", nextSequence())
                .append("enqueuedAt", Date.from(now))
                .append("status", OutboxStatus.PENDING.name())
                .append("attempts", 0)
                .append("nextAttemptAt", Date.from(now));
        try {
            messages.insertOne(document);
            return fromDocument(document);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                // lost a race with a concurrent enqueue of the same operation: theirs is the message
                return findByIdempotencyKey(channel, idempotencyKey).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    public Optional<OutboxMessage> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(messages.find(Filters.eq("_id", id)).first()).map(Outbox::fromDocument);
    }

    /** Dead letters of a channel, oldest first; {@code limit} is capped at 1000. */
    public List<OutboxMessage> deadLetters(String channel, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return list(messages.find(Filters.and(Filters.eq("status", OutboxStatus.DEAD.name()),
                        Filters.eq("channel", channel)))
                .sort(Sorts.ascending("sequence"))
                .limit(Math.min(limit, MAX_LIST)));
    }

    /**
     * Puts a dead letter back in the queue with a fresh retry budget, due now. It is delivered after
     * any earlier unfinished message of its key, but possibly after later ones that went out while
     * it was dead. False when the message does not exist or is not dead.
     */
    public boolean replay(String id) {
        if (id == null) {
            return false;
        }
        return messages.updateOne(
                Filters.and(Filters.eq("_id", id), Filters.eq("status", OutboxStatus.DEAD.name())),
                Updates.combine(
                        Updates.set("status", OutboxStatus.PENDING.name()),
                        Updates.set("attempts", 0),
                        Updates.set("nextAttemptAt", Date.from(now())),
                        Updates.unset("leaseUntil"),
                        Updates.unset("claim"))).getModifiedCount() == 1;
    }

    /** Every message of one ordering key in enqueue order (operators' view of one receiver's stream). */
    public List<OutboxMessage> byOrderingKey(String channel, String orderingKey) {
        return list(messages.find(Filters.and(Filters.eq("channel", channel), Filters.eq("orderingKey", orderingKey)))
                .sort(Sorts.ascending("sequence")));
    }

    public long countByStatus(String channel, OutboxStatus status) {
        return messages.countDocuments(Filters.and(Filters.eq("status", status.name()), Filters.eq("channel", channel)));
    }

    // ---- the dispatcher's side (same package) ----

    /** Messages of the given channels that are due at {@code now}, in enqueue order; a lazy cursor. */
    MongoCursor<Document> dueCandidates(Collection<String> channels, Instant now) {
        Date at = Date.from(now);
        return messages.find(Filters.and(
                        Filters.in("channel", channels),
                        Filters.or(
                                Filters.and(Filters.eq("status", OutboxStatus.PENDING.name()), Filters.lte("nextAttemptAt", at)),
                                Filters.and(Filters.eq("status", OutboxStatus.IN_FLIGHT.name()), Filters.lte("leaseUntil", at)))))
                .sort(Sorts.ascending("sequence"))
                .iterator();
    }

    /** True while an earlier message of the same key is unfinished: the ordering guarantee. */
    boolean hasEarlierUnfinished(OutboxMessage message) {
        return messages.find(Filters.and(
                        Filters.eq("channel", message.channel()),
                        Filters.eq("orderingKey", message.orderingKey()),
                        Filters.lt("sequence", message.sequence()),
                        Filters.in("status", AWAITING)))
                .limit(1).first() != null;
    }

    /**
     * Claims a due message for one delivery attempt: atomically PENDING (due) or IN_FLIGHT (lease
     * run out) to IN_FLIGHT under a new lease and claim token, counting the attempt. Empty when
     * another dispatcher got there first or the message is no longer due.
     */
    Optional<OutboxMessage> claim(String id, Instant now, Instant leaseUntil, String claimToken) {
        Date at = Date.from(now);
        Document claimed = messages.findOneAndUpdate(
                Filters.and(Filters.eq("_id", id), Filters.or(
                        Filters.and(Filters.eq("status", OutboxStatus.PENDING.name()), Filters.lte("nextAttemptAt", at)),
                        Filters.and(Filters.eq("status", OutboxStatus.IN_FLIGHT.name()), Filters.lte("leaseUntil", at)))),
                Updates.combine(
                        Updates.set("status", OutboxStatus.IN_FLIGHT.name()),
                        Updates.set("leaseUntil", Date.from(leaseUntil)),
                        Updates.set("claim", claimToken),
                        Updates.inc("attempts", 1)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(claimed).map(Outbox::fromDocument);
    }

    boolean markDelivered(String id, String claimToken, Instant at) {
        return finish(id, claimToken, Updates.combine(
                Updates.set("status", OutboxStatus.DELIVERED.name()),
                Updates.set("deliveredAt", Date.from(at))));
    }

    boolean markRetry(String id, String claimToken, Instant nextAttemptAt, String error) {
        return finish(id, claimToken, Updates.combine(
                Updates.set("status", OutboxStatus.PENDING.name()),
                Updates.set("nextAttemptAt", Date.from(nextAttemptAt)),
                Updates.set("lastError", error)));
    }

    boolean markDead(String id, String claimToken, String error) {
        return finish(id, claimToken, Updates.combine(
                Updates.set("status", OutboxStatus.DEAD.name()),
                Updates.set("lastError", error)));
    }

    /** Records an outcome only while this claim still holds: a dispatcher that lost its lease changes nothing. */
    private boolean finish(String id, String claimToken, Bson update) {
        return messages.updateOne(
                Filters.and(Filters.eq("_id", id), Filters.eq("status", OutboxStatus.IN_FLIGHT.name()),
                        Filters.eq("claim", claimToken)),
                Updates.combine(update, Updates.unset("leaseUntil"), Updates.unset("claim"))).getModifiedCount() == 1;
    }

    /**
     * Ids of DELIVERED messages of the channel delivered before {@code before}, at most {@code limit}, as
     * a lazy cursor. Finding them reads the collection (no index serves it on the embedded server), so
     * the dispatcher does it rarely and deletes what it found by id.
     */
    MongoCursor<Document> deliveredBefore(String channel, Instant before, int limit) {
        return messages.find(Filters.and(Filters.eq("status", OutboxStatus.DELIVERED.name()),
                        Filters.eq("channel", channel), Filters.lt("deliveredAt", Date.from(before))))
                .projection(Projections.include("_id"))
                .limit(limit)
                .iterator();
    }

    /** Deletes the messages with these ids that are DELIVERED (an id lookup each); returns how many went. */
    long deleteDelivered(List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return messages.deleteMany(Filters.and(Filters.in("_id", ids),
                Filters.eq("status", OutboxStatus.DELIVERED.name()))).getDeletedCount();
    }

    static OutboxMessage fromDocument(Document document) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Document stored = document.get("attributes", Document.class);
        if (stored != null) {
            stored.forEach((key, value) -> attributes.put(key, String.valueOf(value)));
        }
        return new OutboxMessage(
                document.getString("_id"),
                document.getString("channel"),
                document.getString("orderingKey"),
                document.getString("idempotencyKey"),
                document.getString("payload"),
                attributes,
                ((Number) document.get("sequence")).longValue(),
                instant(document.getDate("enqueuedAt")),
                OutboxStatus.valueOf(document.getString("status")),
                ((Number) document.get("attempts")).intValue(),
                instant(document.getDate("nextAttemptAt")),
                document.getString("lastError"),
                instant(document.getDate("deliveredAt")));
    }

    private Optional<OutboxMessage> findByIdempotencyKey(String channel, String idempotencyKey) {
        return Optional.ofNullable(messages.find(Filters.and(Filters.eq("channel", channel),
                Filters.eq("idempotencyKey", idempotencyKey))).first()).map(Outbox::fromDocument);
    }

    /** One counter for the whole outbox: a single atomic increment gives every message its place. */
    private long nextSequence() {
        Document counter = sequences.findOneAndUpdate(Filters.eq("_id", "outbox"), Updates.inc("value", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return ((Number) counter.get("value")).longValue();
    }

    private Instant now() {
        return clock.instant();
    }

    private static List<OutboxMessage> list(Iterable<Document> documents) {
        List<OutboxMessage> out = new ArrayList<>();
        documents.forEach(document -> out.add(fromDocument(document)));
        return out;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
