package bridge.support.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * A by-person index that the embedded Mongo server can serve: one entry per person in its own
 * collection, {@code {_id: personId, ids: [record ids]}}, read by {@code _id} and then the records
 * by {@code _id $in ids}: two indexed reads, whatever the size of the collection.
 *
 * <p>Why not a {@code personId} index: mongo-java-server answers a query from an index only when the
 * filter names exactly the fields of a UNIQUE index, by equality or {@code $in}; non-unique and
 * compound declarations are accepted and ignored, so {@code find({personId})} scans every record.
 * A real MongoDB serves the same read from a {@code {personId: 1, ...}} index (docs/data-access.md).
 *
 * <p>Used by every service that reads records by person (referrals, housing, benefits).
 *
 * <p>Invariant (the people directory's match_blocks rule): the entry is written BEFORE the record, so
 * a written record is never missing from the index. An entry may point at nothing (a crash between
 * the two writes, an idempotent retry that found the first attempt's record, a removed record):
 * readers simply find no record under that id.
 */
public final class PersonIndex {

    /** Marks that records stored before the index existed were indexed (a person id never looks like this). */
    public static final String BACKFILLED = "#backfilled";

    private final MongoCollection<Document> entries;

    /**
     * @param records the indexed collection, whose {@code personField} holds the person id; indexed
     *                once if it holds records from before the index existed
     */
    public PersonIndex(MongoDatabase db, String collection, MongoCollection<Document> records, String personField) {
        this.entries = db.getCollection(collection);
        if (entries.find(Filters.eq("_id", BACKFILLED)).first() == null) {
            // One scan, once per database; adding is idempotent, so a concurrent or interrupted run is harmless.
            for (Document d : records.find().projection(Projections.include(personField))) {
                add(d.getString(personField), d.getString("_id"));
            }
            entries.updateOne(Filters.eq("_id", BACKFILLED), Updates.set("done", true), new UpdateOptions().upsert(true));
        }
    }

    /** Records that {@code recordId} is about {@code personId}; call it before writing the record. */
    public void add(String personId, String recordId) {
        entries.updateOne(Filters.eq("_id", personId), Updates.addToSet("ids", recordId), new UpdateOptions().upsert(true));
    }

    /** Forgets an entry whose record is gone (or was never written). */
    public void remove(String personId, String recordId) {
        entries.updateOne(Filters.eq("_id", personId), Updates.pull("ids", recordId));
    }

    /** The record ids indexed for the person, some of which may point at nothing. */
    public List<String> ids(String personId) {
        Document entry = entries.find(Filters.eq("_id", personId)).first();
        return entry == null ? List.of() : entry.getList("ids", String.class, List.of());
    }

    /** The person's records, in no particular order: callers filter and sort (a person has few). */
    public List<Document> records(MongoCollection<Document> records, String personId) {
        List<String> ids = ids(personId);
        return ids.isEmpty() ? List.of() : records.find(Filters.in("_id", ids)).into(new ArrayList<>(ids.size()));
    }
}
