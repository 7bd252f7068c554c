package bridge.consent.persistence;

import bridge.consent.domain.ConsentCursor;
import bridge.consent.domain.LegalBasis;
import bridge.consent.domain.LegalBasisRepository;
import bridge.consent.domain.LegalBasisType;
import bridge.consent.domain.ReviewState;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Legal bases, as elements of the person's {@code legalBases} array (layout: {@link ConsentSubjects}).
 * Recording is claim-then-push as for consents; a review is ONE conditional update of the element on
 * the review state it was decided from, so two concurrent reviews cannot both land.
 */
public final class MongoLegalBasisRepository implements LegalBasisRepository {

    static final String FIELD = "legalBases";
    private static final Comparator<LegalBasis> OLDEST_FIRST =
            Comparator.comparing(LegalBasis::createdAt).thenComparing(LegalBasis::id);

    private final ConsentSubjects store;

    public MongoLegalBasisRepository(MongoDatabase db) {
        this.store = new ConsentSubjects(db);
    }

    @Override
    public LegalBasis insertOnce(LegalBasis b, String idempotencyKey) {
        LegalBasis first = b;
        if (idempotencyKey != null) {
            Document claimed = store.claim("legalBasis|" + idempotencyKey, b.personId(), asDocument(b));
            if (claimed != null) {
                first = fromDocument(claimed);
            }
        }
        store.pushOnce(first.personId(), FIELD, asDocument(first));
        return first == b ? b : findById(first.personId(), first.id()).orElse(first);
    }

    @Override
    public Optional<LegalBasis> findById(String personId, String id) {
        return Optional.ofNullable(store.element(personId, FIELD, id)).map(MongoLegalBasisRepository::fromDocument);
    }

    @Override
    public List<LegalBasis> findByPerson(String personId) {
        return all(store.subject(personId));
    }

    @Override
    public List<LegalBasis> findPendingReview(ConsentCursor after, int limit) {
        Bson pending = Filters.eq(FIELD + ".reviewState", ReviewState.PENDING_REVIEW.name());
        Bson element = pending;
        if (after != null) {
            Date at = Date.from(after.createdAt());
            element = Filters.and(pending, Filters.or(Filters.gt(FIELD + ".createdAt", at),
                    Filters.and(Filters.eq(FIELD + ".createdAt", at), Filters.gt(FIELD + ".id", after.id()))));
        }
        List<LegalBasis> out = new ArrayList<>();
        store.subjects.aggregate(List.of(
                        Aggregates.match(pending),
                        Aggregates.unwind("$" + FIELD),
                        Aggregates.match(element),
                        Aggregates.sort(Sorts.ascending(FIELD + ".createdAt", FIELD + ".id")),
                        Aggregates.limit(limit)))
                .map(d -> fromDocument(d.get(FIELD, Document.class)))
                .into(out);
        return out;
    }

    @Override
    public LegalBasis review(LegalBasis current, LegalBasis reviewed) {
        LegalBasis.Review r = reviewed.review();
        var result = store.subjects.updateOne(
                Filters.and(Filters.eq("_id", current.personId()), Filters.elemMatch(FIELD,
                        Filters.and(Filters.eq("id", current.id()), Filters.eq("reviewState", current.reviewState().name())))),
                Updates.combine(Updates.set(FIELD + ".$.reviewState", reviewed.reviewState().name()),
                        Updates.set(FIELD + ".$.review", new Document("by", Documents.actor(r.by()))
                                .append("time", Date.from(r.time())).append("note", r.note()))));
        if (result.getMatchedCount() == 0) {
            throw new ConflictException("CONCURRENT_REVIEW", "the legal basis was reviewed concurrently: read it again");
        }
        return reviewed;
    }

    /** The legal bases of a person's document, oldest first. */
    static List<LegalBasis> all(Document subject) {
        return subject == null ? List.of()
                : subject.getList(FIELD, Document.class, List.of()).stream().map(MongoLegalBasisRepository::fromDocument)
                        .sorted(OLDEST_FIRST).toList();
    }

    static Document asDocument(LegalBasis b) {
        return new Document("id", b.id())
                .append("personId", b.personId())
                .append("type", b.type().name())
                .append("recipientAgency", b.recipientAgency())
                .append("categories", b.categories().stream().map(Enum::name).toList())
                .append("purposes", b.purposes().stream().map(Enum::name).toList())
                .append("justification", b.justification())
                .append("validUntil", Date.from(b.validUntil()))
                .append("reviewState", b.reviewState().name())
                .append("recordedBy", Documents.actor(b.recordedBy()))
                .append("createdAt", Date.from(b.createdAt()))
                .append("review", null);
    }

    static LegalBasis fromDocument(Document d) {
        Document r = d.get("review", Document.class);
        return new LegalBasis(
                d.getString("id"),
                d.getString("personId"),
                LegalBasisType.valueOf(d.getString("type")),
                d.getString("recipientAgency"),
                d.getList("categories", String.class).stream().map(DataCategory::valueOf).toList(),
                d.getList("purposes", String.class).stream().map(Purpose::valueOf).toList(),
                d.getString("justification"),
                d.getDate("validUntil").toInstant(),
                ReviewState.valueOf(d.getString("reviewState")),
                Documents.actor(d.get("recordedBy", Document.class)),
                d.getDate("createdAt").toInstant(),
                r == null ? null : new LegalBasis.Review(Documents.actor(r.get("by", Document.class)),
                        r.getDate("time").toInstant(), r.getString("note")));
    }
}
