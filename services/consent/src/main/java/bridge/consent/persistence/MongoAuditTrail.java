package bridge.consent.persistence;

import bridge.consent.domain.AuditChain;
import bridge.consent.domain.AuditEntry;
import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.AuditTrail;
import bridge.consent.domain.AuditVerification;
import bridge.consent.domain.AuditVerification.Problem;
import bridge.consent.domain.Decision;
import bridge.consent.domain.DenyReason;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.UnavailableException;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail in collection {@code auditTrail}: one document per entry, {@code _id} = the
 * sequence number (1, 2, 3, ...), chained by {@code previousHash}/{@code hash} ({@link AuditChain}).
 *
 * <h2>Why the chain cannot fork</h2>
 * An entry's sequence is its {@code _id}, which is unique. Appending entry n+1 means: know the tail
 * (n, hash of n), seal the entry with n+1 and that hash, insert. If another appender — another thread
 * or another service instance — took n+1 first, the insert fails with a duplicate key, nothing was
 * written, and this appender re-reads the tail and seals again on top of the new one. So every entry
 * is chained to the entry that really holds the sequence before it. No transaction is needed: each
 * insert is a single-document atomic write, and the unique key is the arbiter.
 *
 * <h2>Group commit</h2>
 * Appends from concurrent requests are grouped: a caller queues its events and waits; one writer
 * thread takes everything queued (up to {@link #MAX_BATCH} events), writes it as ONE ordered
 * insertMany, and completes every caller in the batch. While one batch is in flight the next one
 * accumulates, so under load many decisions share one database round trip. A caller returns only
 * after its own entries were acknowledged (with the connection's write concern: majority + journal
 * in production), or fails (fail closed) after {@link #APPEND_TIMEOUT}. The writer caches the tail,
 * so the common case is one round trip per batch and no tail read.
 *
 * <h2>Failures</h2>
 * Ordered insertMany stops at the first failure: the entries before it are stored, the rest are
 * not. A duplicate key is another appender's entry: re-read the tail and carry on with the rest. Any
 * other failure fails the callers whose entries were not all stored (they fail their requests: fail
 * closed) and forgets the cached tail, so the next append re-reads it — the failed write may have
 * been applied after all, in which case the chain simply continues after it (an extra entry for a
 * decision never given is the safe side of the trade).
 */
public final class MongoAuditTrail implements AuditTrail, AutoCloseable {

    /** Entries per insertMany: large enough to amortise a round trip, small enough for one message. */
    static final int MAX_BATCH = 500;
    /** Duplicate-key retries of one batch before giving up (only under heavy multi-instance contention). */
    static final int MAX_CONFLICTS = 100;

    private static final Logger log = LoggerFactory.getLogger(MongoAuditTrail.class);

    /** How long a caller waits for its entries to be stored before failing (closed). */
    static final Duration APPEND_TIMEOUT = Duration.ofSeconds(5);

    private final MongoCollection<Document> trail;
    /** The same collection read as stored bytes, for verification. */
    private final MongoCollection<RawBsonDocument> rawTrail;
    private final int chunk;
    /** Where verification left off: {@code {_id: "verified", sequence, hash}} (see {@link #verifyNew()}). */
    private final MongoCollection<Document> checkpoints;
    private final int newPerVerification;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    // touched by the writer thread only: the chain's tail as this process last knew it; -1 = unknown, read it
    private long tailSequence = -1;
    private String tailHash;
    /** The last sequence this process stored, for verification to know how far entries must exist; 0: none yet. */
    private volatile long lastAppended;
    private final LongAdder idsLookedUp = new LongAdder();

    public MongoAuditTrail(MongoDatabase db) {
        this(db, MAX_NEW_PER_VERIFICATION);
    }

    /** {@code newPerVerification}: entries one {@link #verifyNew()} reads at most. */
    MongoAuditTrail(MongoDatabase db, int newPerVerification) {
        this(db, newPerVerification, CHUNK);
    }

    /** {@code chunk}: sequence numbers per read of a verification walk (see {@link #CHUNK}). */
    MongoAuditTrail(MongoDatabase db, int newPerVerification, int chunk) {
        this.newPerVerification = newPerVerification;
        this.chunk = chunk;
        this.trail = db.getCollection("auditTrail");
        this.rawTrail = trail.withDocumentClass(RawBsonDocument.class);
        this.checkpoints = db.getCollection("auditCheckpoints");
        // ListAccessRecords: a person's entries, newest first.
        trail.createIndex(Indexes.compoundIndex(Indexes.ascending("personId"), Indexes.descending("_id")),
                new IndexOptions().name("person_sequence"));
        this.writer = Thread.ofPlatform().name("audit-trail-writer").daemon().unstarted(this::writeLoop);
        writer.start();
    }

    private static final class Pending {
        final List<AuditEvent> events;
        final CompletableFuture<List<AuditEntry>> stored = new CompletableFuture<>();

        Pending(List<AuditEvent> events) {
            this.events = List.copyOf(events);
        }
    }

    @Override
    public List<AuditEntry> append(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        if (closed) {
            throw new UnavailableException("AUDIT_UNAVAILABLE", "the audit trail is shutting down");
        }
        Pending mine = new Pending(events);
        queue.add(mine);
        try {
            return mine.stored.get(APPEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : new UnavailableException("AUDIT_UNAVAILABLE", "the audit trail could not be written");
        } catch (TimeoutException e) {
            // It may still be written later: an entry for a decision never given is the safe side.
            throw new UnavailableException("AUDIT_UNAVAILABLE", "the audit trail did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("AUDIT_UNAVAILABLE", "interrupted while writing the audit trail");
        }
    }

    /** The writer thread: one batch after another, until closed. */
    private void writeLoop() {
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    writeBatch(first);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                log.error("audit writer failed; carrying on", e);
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.stored.completeExceptionally(new UnavailableException("AUDIT_UNAVAILABLE", "the audit trail is shutting down"));
        }
    }

    /** Stops the writer; appends still queued fail (their callers fail closed). */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code first} and whatever else is queued behind it (up to MAX_BATCH events), then completes them. */
    private void writeBatch(Pending first) {
        List<Pending> batch = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>(first.events);
        batch.add(first);
        Pending next;
        while ((next = queue.peek()) != null && events.size() + next.events.size() <= MAX_BATCH) {
            queue.poll();
            batch.add(next);
            events.addAll(next.events);
        }
        List<AuditEntry> stored = new ArrayList<>(events.size());
        RuntimeException failure = null;
        try {
            write(events, stored);
        } catch (RuntimeException e) {
            log.error("audit append failed after {} of {} entries", stored.size(), events.size(), e);
            tailSequence = -1;
            failure = new UnavailableException("AUDIT_UNAVAILABLE", "the audit trail could not be written");
        }
        int offset = 0;
        for (Pending p : batch) {
            int end = offset + p.events.size();
            if (end <= stored.size()) {
                p.stored.complete(List.copyOf(stored.subList(offset, end)));
            } else {
                p.stored.completeExceptionally(failure);
            }
            offset = end;
        }
    }

    /** Writes the events in order, adding each stored entry to {@code stored}; throws on a failure other than a lost race. */
    private void write(List<AuditEvent> events, List<AuditEntry> stored) {
        int conflicts = 0;
        while (stored.size() < events.size()) {
            if (tailSequence < 0) {
                readTail();
            }
            List<AuditEntry> sealed = new ArrayList<>(events.size() - stored.size());
            long seq = tailSequence;
            String previous = tailHash;
            for (AuditEvent e : events.subList(stored.size(), events.size())) {
                AuditEntry entry = AuditChain.seal(++seq, e, previous);
                sealed.add(entry);
                previous = entry.hash();
            }
            try {
                trail.insertMany(sealed.stream().map(MongoAuditTrail::asDocument).toList(),
                        new InsertManyOptions().ordered(true));
                accept(sealed, stored);
            } catch (MongoBulkWriteException e) {
                BulkWriteError first = e.getWriteErrors().stream()
                        .min((a, b) -> Integer.compare(a.getIndex(), b.getIndex())).orElseThrow(() -> e);
                accept(sealed.subList(0, first.getIndex()), stored);
                if (ErrorCategory.fromErrorCode(first.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // another appender holds the next sequence: re-read the tail and chain onto it
                if (++conflicts > MAX_CONFLICTS) {
                    throw new MongoException("audit append lost the race " + conflicts + " times in a row");
                }
                tailSequence = -1;
            }
        }
    }

    private void accept(List<AuditEntry> inserted, List<AuditEntry> stored) {
        if (!inserted.isEmpty()) {
            AuditEntry last = inserted.getLast();
            tailSequence = last.sequence();
            tailHash = last.hash();
            lastAppended = Math.max(lastAppended, tailSequence);
            stored.addAll(inserted);
        }
    }

    private void readTail() {
        Document last = trail.find().projection(Projections.include("_id", "hash"))
                .sort(Sorts.descending("_id")).limit(1).first();
        if (last == null) {
            tailSequence = 0;
            tailHash = AuditChain.GENESIS;
        } else {
            tailSequence = ((Number) last.get("_id")).longValue();
            tailHash = last.getString("hash");
        }
    }

    /** Entries one incremental verification reads at most, so that a call answers within a gateway deadline. */
    static final int MAX_NEW_PER_VERIFICATION = 25_000;
    /**
     * Sequence numbers per {@code _id $in} read of a walk. Larger chunks save round trips, but the
     * embedded server re-checks every document it found against the whole list (cost per document
     * grows with the chunk). Measured with {@code AuditWalkBenchmark} (full walk of 100,000 entries,
     * entries per CPU-second, warm rounds): 125 → 55–65k, 250 → 59–81k, 500 → 52–66k, 1,000 → 43–62k,
     * 2,000 → 34k.
     */
    static final int CHUNK = 250;
    static final String CHECKPOINT = "verified";
    private static final DocumentCodec DOCUMENTS = new DocumentCodec();

    @Override
    public AuditVerification verify() {
        AuditChain.Verifier verifier = new AuditChain.Verifier();
        walk(verifier, Long.MAX_VALUE);
        return checkpointed(verifier);
    }

    /**
     * The checkpoint is the last entry an intact walk reached and its hash. Before continuing from it
     * the entry is re-read: it must still be there, still hash to its stored hash, and that hash must
     * be the checkpoint's; otherwise the chain (or the checkpoint) was changed and only a full walk can
     * say where. Entries before the checkpoint are not re-read here: a full walk does that. A
     * checkpoint moved forward consistently by someone who can write the database is not detected:
     * it saves work, it is no anchor (keep {@link AuditVerification#lastHash()} elsewhere for that).
     */
    @Override
    public AuditVerification verifyNew() {
        Document checkpoint = checkpoints.find(Filters.eq("_id", CHECKPOINT)).first();
        if (checkpoint == null) {
            AuditChain.Verifier verifier = new AuditChain.Verifier();
            walk(verifier, newPerVerification);
            return checkpointed(verifier);
        }
        long sequence = ((Number) checkpoint.get("sequence")).longValue();
        String hash = checkpoint.getString("hash");
        Document at = trail.find(Filters.eq("_id", sequence)).first();
        idsLookedUp.increment();
        if (at == null) {
            return new AuditVerification(false, 0, sequence, Problem.REMOVED, "entry " + sequence
                    + ", where the last verification ended, is missing (removed): run a full verification", "");
        }
        AuditEntry entry;
        try {
            entry = fromDocument(at);
        } catch (RuntimeException unreadable) {
            entry = null;
        }
        if (entry == null || !hash.equals(entry.hash())
                || !AuditChain.hash(entry.sequence(), entry.event(), entry.previousHash()).equals(entry.hash())) {
            return new AuditVerification(false, 1, sequence, Problem.ALTERED, "entry " + sequence
                    + ", where the last verification ended, no longer matches it (the entry or the checkpoint was"
                    + " altered): run a full verification", "");
        }
        AuditChain.Verifier verifier = new AuditChain.Verifier(sequence, hash);
        walk(verifier, newPerVerification);
        return checkpointed(verifier);
    }

    /**
     * Feeds the verifier the entries after its last sequence, at most {@code atMost} of them, reading
     * {@link #CHUNK} consecutive sequence numbers per {@code _id $in} query: every read is an index
     * lookup per id, so a call costs what it reads, not the size of the trail (a range query with a
     * sort reads and sorts the whole collection on the embedded server before the first answer).
     *
     * <p>Where the entries stop, the trail may have ended, or entries may have been deleted. A chunk
     * that finds nothing ends the walk only past the highest sequence known to exist: the last one this
     * process appended, or the number of entries in the collection — sequences are unique and start at
     * 1, so when every entry before the empty chunk is intact, a count reaching into it means entries
     * exist after it and the missing ones were removed (confirmed by looking for one). Entries removed
     * before a checkpoint lower the count; the full walk reads those.
     */
    private void walk(AuditChain.Verifier verifier, long atMost) {
        long mustExistUpTo = Math.max(lastAppended, trail.estimatedDocumentCount());
        AuditChain.Canonical canonical = new AuditChain.Canonical(0);
        long read = 0;
        long next = verifier.lastSequence() + 1;
        while (read < atMost) {
            int size = (int) Math.min(chunk, atMost - read);
            RawBsonDocument[] entries = readChunk(next, size);
            int found = 0;
            for (RawBsonDocument d : entries) {
                found += d == null ? 0 : 1;
            }
            if (found == 0) {
                if (next <= lastAppended || next <= mustExistUpTo && existsAfter(next)) {
                    verifier.missing(next + size - 1);
                }
                return;
            }
            for (int i = 0; i < size && read < atMost; i++) {
                if (entries[i] == null) {
                    // a gap before a later entry: the verifier reports it when that entry comes
                    continue;
                }
                read++;
                if (!accept(verifier, next + i, entries[i], canonical)) {
                    return;
                }
            }
            next = verifier.lastSequence() + 1;
            if (found < size && next > mustExistUpTo) {
                // the chunk ran past the last entry
                return;
            }
            // otherwise continue at the first sequence not yet verified: missing entries at a chunk's end are looked for again
        }
    }

    /**
     * Checks one entry from its stored bytes ({@link RawAuditEntries}); an entry those cannot vouch for
     * (not of the writer's shape, or not hashing to its stored hash) is decoded and judged as a
     * decoded entry always was, so the verdict on a doubtful entry never rests on the fast path.
     */
    private static boolean accept(AuditChain.Verifier verifier, long sequence, RawBsonDocument stored,
                                  AuditChain.Canonical canonical) {
        RawAuditEntries.Sealed sealed = RawAuditEntries.read(stored.getByteBuffer().asNIO(), sequence, canonical);
        if (sealed != null && sealed.contentHash().equals(sealed.hash())) {
            return verifier.accept(sequence, sealed.previousHash(), sealed.hash(), sealed.contentHash());
        }
        AuditEntry entry;
        String contentHash;
        try {
            entry = fromDocument(stored.decode(DOCUMENTS));
            contentHash = AuditChain.hash(entry.sequence(), entry.event(), entry.previousHash());
        } catch (RuntimeException unreadable) {
            return verifier.acceptUnreadable(sequence);
        }
        return verifier.accept(entry.sequence(), entry.previousHash(), entry.hash(), contentHash);
    }

    /**
     * Whether any entry follows {@code sequence}: the count is only a hint (on MongoDB an estimate that
     * an unclean shutdown can leave too high), so a removal is reported only when a later entry is there.
     * A scan on the embedded server, but only where entries are missing.
     */
    private boolean existsAfter(long sequence) {
        return trail.find(Filters.gt("_id", sequence)).projection(Projections.include("_id")).limit(1).first() != null;
    }

    /** Entries {@code from} .. {@code from + size - 1} as stored, each at its offset; null where there is none. */
    private RawBsonDocument[] readChunk(long from, int size) {
        List<Long> ids = new ArrayList<>(size);
        for (long seq = from; seq < from + size; seq++) {
            ids.add(seq);
        }
        idsLookedUp.add(size);
        RawBsonDocument[] entries = new RawBsonDocument[size];
        for (RawBsonDocument d : rawTrail.find(Filters.in("_id", ids)).batchSize(size)) {
            BsonValue id = d.get("_id");
            if (id != null && id.isNumber()) {
                long seq = id.asNumber().longValue();
                if (seq >= from && seq < from + size) {
                    entries[(int) (seq - from)] = d;
                }
            }
        }
        return entries;
    }

    /** Sequence numbers verification asked the database for since this trail was opened (how much a walk read). */
    long idsLookedUp() {
        return idsLookedUp.sum();
    }

    /** The walk's result; when intact, the checkpoint moves to where it ended. */
    private AuditVerification checkpointed(AuditChain.Verifier verifier) {
        AuditVerification result = verifier.result();
        if (result.intact() && verifier.lastSequence() > 0) {
            checkpoints.replaceOne(Filters.eq("_id", CHECKPOINT), new Document("_id", CHECKPOINT)
                    .append("sequence", verifier.lastSequence()).append("hash", result.lastHash())
                    .append("at", new Date()), new ReplaceOptions().upsert(true));
        }
        return result;
    }

    @Override
    public List<AuditEntry> aboutPerson(String personId, long beforeSequence, int limit) {
        return trail.find(Filters.and(Filters.eq("personId", personId), Filters.lt("_id", beforeSequence)))
                .sort(Sorts.descending("_id")).limit(limit).map(MongoAuditTrail::fromDocument).into(new ArrayList<>());
    }

    static Document asDocument(AuditEntry entry) {
        AuditEvent e = entry.event();
        return new Document("_id", entry.sequence())
                .append("time", Date.from(e.time()))
                .append("actor", Documents.actor(e.actor()))
                .append("personId", e.personId())
                .append("purpose", e.purpose().name())
                .append("decisions", e.decisions().stream().map(MongoAuditTrail::asDocument).toList())
                .append("requestId", e.requestId())
                .append("previousHash", entry.previousHash())
                .append("hash", entry.hash());
    }

    private static Document asDocument(Decision d) {
        Document doc = new Document("category", d.category().name()).append("allowed", d.allowed());
        if (d.consentId() != null) {
            doc.append("consentId", d.consentId()).append("consentVersion", d.consentVersion());
        }
        if (d.legalBasisId() != null) {
            doc.append("legalBasisId", d.legalBasisId());
        }
        if (d.denyReason() != null) {
            doc.append("denyReason", d.denyReason().name());
        }
        return doc;
    }

    static AuditEntry fromDocument(Document d) {
        AuditEvent event = new AuditEvent(
                d.getDate("time").toInstant(),
                Documents.actor(d.get("actor", Document.class)),
                d.getString("personId"),
                Purpose.valueOf(d.getString("purpose")),
                d.getList("decisions", Document.class).stream().map(MongoAuditTrail::decision).toList(),
                d.getString("requestId"));
        return new AuditEntry(((Number) d.get("_id")).longValue(), event, d.getString("previousHash"), d.getString("hash"));
    }

    private static Decision decision(Document d) {
        Number version = (Number) d.get("consentVersion");
        String reason = d.getString("denyReason");
        return new Decision(DataCategory.valueOf(d.getString("category")), d.getBoolean("allowed"),
                d.getString("consentId"), version == null ? 0 : version.longValue(), d.getString("legalBasisId"),
                reason == null ? null : DenyReason.valueOf(reason));
    }
}
