package bridge.benefits.persistence;

import bridge.support.mongo.PersonIndex;
import bridge.benefits.domain.Benefit;
import bridge.benefits.domain.Claim;
import bridge.benefits.domain.ClaimCursor;
import bridge.benefits.domain.ClaimRepository;
import bridge.benefits.domain.ClaimStatus;
import bridge.benefits.domain.ClaimStatusChange;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Claims in the benefits liaison service's own database, collection {@code claims}. Idempotent
 * opening rests on a unique index over the idempotency key: the insert is the single write, so a
 * retry either inserts nothing or finds the first attempt's record (no transaction needed).
 */
public final class MongoClaimRepository implements ClaimRepository {

    private final MongoCollection<Document> claims;
    private final PersonIndex byPerson;

    public MongoClaimRepository(MongoDatabase db) {
        this.claims = db.getCollection("claims");
        claims.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // ListClaims: one person's claims (opened by one agency, or by any), newest first.
        claims.createIndex(Indexes.compoundIndex(Indexes.ascending("personId", "recordedBy.agency"),
                Indexes.descending("createdAt"), Indexes.ascending("_id")), new IndexOptions().name("person_agency_created"));
        // status polling: claims DWP holds, least recently checked first
        claims.createIndex(Indexes.ascending("status", "dwpCheckedAt"), new IndexOptions().name("status_checked"));
        claims.createIndex(Indexes.compoundIndex(Indexes.ascending("personId"),
                Indexes.descending("createdAt"), Indexes.ascending("_id")), new IndexOptions().name("person_created"));
        // The embedded server ignores the two person indexes above (it serves unique indexes only), and
        // serves the conditional update (_id and version) only from a unique index naming exactly those
        // fields (trivially unique; redundant on MongoDB).
        claims.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("id_version"));
        this.byPerson = new PersonIndex(db, "claimsByPerson", claims, "personId");
    }

    @Override
    public Claim insertOnce(Claim claim, String idempotencyKey) {
        Document doc = asDocument(claim).append("idempotencyKey", idempotencyKey);
        byPerson.add(claim.personId(), claim.id());
        try {
            claims.insertOne(doc);
            return claim;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                byPerson.remove(claim.personId(), claim.id());
                Document existing = claims.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<Claim> findById(String id) {
        return Optional.ofNullable(claims.find(Filters.eq("_id", id)).first()).map(MongoClaimRepository::fromDocument);
    }

    @Override
    public Optional<Claim> replaceIfVersion(Claim changed) {
        // One conditional update: the idempotency key and creation fields stay as they are.
        long matched = claims.updateOne(new Document("_id", changed.id()).append("version", changed.version() - 1),
                Updates.combine(Updates.set("status", changed.status().name()),
                        Updates.set("updatedAt", Date.from(changed.updatedAt())),
                        Updates.set("version", changed.version()),
                        Updates.set("history", history(changed.history())),
                        Updates.set("dwpClaimId", changed.dwpClaimId()),
                        Updates.set("expectedFirstPayment", date(changed.expectedFirstPayment())))).getMatchedCount();
        return matched == 1 ? Optional.of(changed) : Optional.empty();
    }

    @Override
    public List<Claim> findAbout(String personId, String agency, ClaimCursor after, int limit) {
        // the person's few claims by the person index; filter, order and page them here
        return byPerson.records(claims, personId).stream().map(MongoClaimRepository::fromDocument)
                .filter(c -> agency == null || agency.equals(c.recordedBy().agency()))
                .filter(c -> after == null || c.createdAt().isBefore(after.createdAt())
                        || c.createdAt().equals(after.createdAt()) && c.id().compareTo(after.id()) > 0)
                .sorted(Comparator.comparing(Claim::createdAt).reversed().thenComparing(Claim::id))
                .limit(limit).toList();
    }

    @Override
    public List<Claim> awaitingDwp(int limit) {
        Bson open = Filters.or(Filters.in("status", "SUBMITTED", "AWAITING_DECISION"),
                Filters.and(Filters.eq("status", "AWARDED"), Filters.eq("expectedFirstPayment", null)));
        return claims.find(Filters.and(Filters.gt("dwpClaimId", ""), open))
                .sort(Sorts.ascending("dwpCheckedAt")).limit(limit)
                .map(MongoClaimRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public void checkedWithDwp(String id, Instant at) {
        claims.updateOne(Filters.eq("_id", id), Updates.set("dwpCheckedAt", Date.from(at)));
    }

    @Override
    public boolean existsRecordedByOtherThan(String personId, String agency) {
        return byPerson.records(claims, personId).stream()
                .anyMatch(d -> !agency.equals(d.get("recordedBy", Document.class).getString("agency")));
    }

    static Document asDocument(Claim c) {
        return new Document("_id", c.id())
                .append("personId", c.personId())
                .append("benefit", c.benefit().name())
                .append("status", c.status().name())
                .append("recordedBy", actor(c.recordedBy()))
                .append("createdAt", Date.from(c.createdAt()))
                .append("updatedAt", Date.from(c.updatedAt()))
                .append("version", c.version())
                .append("history", history(c.history()))
                .append("dwpClaimId", c.dwpClaimId())
                .append("expectedFirstPayment", date(c.expectedFirstPayment()));
    }

    private static String date(java.time.LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static List<Document> history(List<ClaimStatusChange> history) {
        return history.stream().map(h -> new Document("status", h.status().name())
                .append("at", Date.from(h.at()))
                .append("changedBy", actor(h.changedBy()))
                .append("note", h.note())).toList();
    }

    private static Document actor(Actor a) {
        return new Document("subject", a.subject()).append("agency", a.agency()).append("agencyType", a.agencyType().name());
    }

    private static Actor actor(Document d) {
        return new Actor(d.getString("subject"), d.getString("agency"), AgencyType.valueOf(d.getString("agencyType")));
    }

    static Claim fromDocument(Document d) {
        Actor by = actor(d.get("recordedBy", Document.class));
        ClaimStatus status = ClaimStatus.valueOf(d.getString("status"));
        Instant created = d.getDate("createdAt").toInstant();
        List<Document> stored = d.getList("history", Document.class);
        // Claims stored before the history existed had only ever been opened: one entry says so.
        List<ClaimStatusChange> history = stored == null
                ? List.of(new ClaimStatusChange(status, created, by, ""))
                : stored.stream().map(h -> new ClaimStatusChange(ClaimStatus.valueOf(h.getString("status")),
                        h.getDate("at").toInstant(), actor(h.get("changedBy", Document.class)), h.getString("note"))).toList();
        return new Claim(
                d.getString("_id"),
                d.getString("personId"),
                Benefit.valueOf(d.getString("benefit")),
                status,
                by,
                created,
                d.getDate("updatedAt").toInstant(),
                ((Number) d.get("version")).longValue(),
                history,
                d.getString("dwpClaimId"),
                d.getString("expectedFirstPayment") == null ? null : java.time.LocalDate.parse(d.getString("expectedFirstPayment")));
    }
}
