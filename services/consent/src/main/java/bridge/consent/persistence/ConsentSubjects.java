package bridge.consent.persistence;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The consent service's storage layout, shared by its repositories. No multi-document transactions:
 * every write below is a single-document atomic operation, and the order of writes is chosen so that
 * a writer that stops between two of them leaves nothing wrong behind.
 *
 * <h2>Collections</h2>
 * <ul>
 *   <li>{@code consentSubjects}: ONE document per person, {@code _id} = person id, holding the
 *       CURRENT version of each of the person's consents ({@code consents}, array) and each of their
 *       legal bases ({@code legalBases}, array). It is the source of truth for "what is in force",
 *       and a decision reads exactly this one document, by its key: one indexed read, on MongoDB and
 *       on the embedded server alike (which only uses unique indexes). A consent's current version is
 *       changed by ONE conditional update of its array element (positional {@code $}): the
 *       optimistic-concurrency check and the commit point.</li>
 *   <li>{@code consentVersions}: the history, one immutable document per consent version,
 *       {@code _id} = {@code <consent id>/<version>}; inserted, never updated or deleted.</li>
 *   <li>{@code idempotencyKeys}: one document per create that carried a request id, {@code _id} =
 *       kind|agency:request id, holding what that create wrote. It lets a retried create find (and if
 *       need be finish) the first attempt, for whichever person it was.</li>
 *   <li>{@code auditTrail}: see {@link MongoAuditTrail}.</li>
 * </ul>
 *
 * <p>Expected sizes: a person has tens of consents and a handful of legal bases, a few KB; the 16 MB
 * document limit is four orders of magnitude away.
 */
final class ConsentSubjects {

    final MongoCollection<Document> subjects;
    final MongoCollection<Document> versions;
    final MongoCollection<Document> keys;

    ConsentSubjects(MongoDatabase db) {
        this.subjects = db.getCollection("consentSubjects");
        this.versions = db.getCollection("consentVersions");
        this.keys = db.getCollection("idempotencyKeys");
        // On MongoDB: the review queue and "which agency recorded" lookups. (_id serves everything else.)
        subjects.createIndex(Indexes.ascending("legalBases.reviewState", "legalBases.createdAt"),
                new IndexOptions().name("legal_basis_review_queue"));
        versions.createIndex(Indexes.ascending("consentId", "version"), new IndexOptions().unique(true).name("consent_version"));
    }

    /** Creates the person's (empty) document unless it exists. Idempotent, safe under races. */
    void ensureSubject(String personId) {
        try {
            subjects.updateOne(Filters.eq("_id", personId),
                    Updates.combine(Updates.setOnInsert("consents", List.of()), Updates.setOnInsert("legalBases", List.of())),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            // two first writes for one person raced: the other one created it
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /**
     * Appends {@code element} to the person's array {@code field} unless an element with its id is
     * there already (a retry, or a roll-forward of an interrupted create). One atomic update.
     */
    void pushOnce(String personId, String field, Document element) {
        ensureSubject(personId);
        subjects.updateOne(Filters.and(Filters.eq("_id", personId), Filters.ne(field + ".id", element.getString("id"))),
                Updates.push(field, element));
    }

    /**
     * Claims an idempotency key for what a create is about to write. Returns null when this call
     * claimed it, or the content stored by the attempt that claimed it first.
     */
    Document claim(String key, String personId, Document content) {
        try {
            keys.insertOne(new Document("_id", key).append("personId", personId).append("content", content)
                    .append("claimedAt", new Date()));
            return null;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document first = keys.find(Filters.eq("_id", key)).first();
            if (first == null) {
                throw e;
            }
            return first.get("content", Document.class);
        }
    }

    /** The person's document, or null. */
    Document subject(String personId) {
        return subjects.find(Filters.eq("_id", personId)).first();
    }

    /** The element with this id of the person's array {@code field}, or null. */
    Document element(String personId, String field, String id) {
        Document subject = subject(personId);
        if (subject == null) {
            return null;
        }
        return subject.getList(field, Document.class, List.of()).stream().filter(e -> id.equals(e.getString("id")))
                .findFirst().orElse(null);
    }

    /** Inserts a consent version into the history unless it is there (versions are immutable, so equal). */
    void ensureInHistory(String consentId, long version, Document content) {
        Document doc = new Document(content).append("_id", consentId + "/" + version).append("consentId", consentId);
        doc.remove("id");
        try {
            versions.insertOne(doc);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }
}
