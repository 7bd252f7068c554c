package bridge.housing.persistence;

import bridge.support.mongo.PersonIndex;
import bridge.housing.domain.Accommodation;
import bridge.housing.domain.HousingStatus;
import bridge.housing.domain.ReleasePlan;
import bridge.housing.domain.ReleasePlanCursor;
import bridge.housing.domain.ReleasePlanRepository;
import bridge.support.calendar.Jurisdiction;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Release plans, collection {@code releasePlans}. Release dates are ISO-8601 text, whose order is
 * the calendar's. Creating is one insert guarded by a unique idempotency key; securing accommodation
 * is one conditional replace on the version (no transactions needed, ADR 0001).
 */
public final class MongoReleasePlanRepository implements ReleasePlanRepository {

    private final MongoCollection<Document> plans;
    private final PersonIndex byPerson;

    public MongoReleasePlanRepository(MongoDatabase db) {
        this.plans = db.getCollection("releasePlans");
        plans.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        plans.createIndex(Indexes.compoundIndex(Indexes.ascending("personId", "recordedBy.agency", "releaseDate", "_id")),
                new IndexOptions().name("person_agency_release"));
        plans.createIndex(Indexes.ascending("recordedBy.agency", "releaseDate", "_id"), new IndexOptions().name("agency_release"));
        // The conditional replace filters on _id and version: a unique index naming exactly those fields
        // is what the embedded server can serve it from (trivially unique; redundant on MongoDB).
        plans.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("id_version"));
        // The person_agency_release index is ignored by the embedded server: by-person reads use this.
        this.byPerson = new PersonIndex(db, "releasePlansByPerson", plans, "personId");
    }

    @Override
    public ReleasePlan insertOnce(ReleasePlan plan, String idempotencyKey) {
        byPerson.add(plan.personId(), plan.id());
        try {
            plans.insertOne(asDocument(plan).append("idempotencyKey", idempotencyKey));
            return plan;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                byPerson.remove(plan.personId(), plan.id());
                Document existing = plans.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<ReleasePlan> find(String personId, String id) {
        // by _id alone (an indexed read), then the person checked here: a plan of another person does not exist
        return Optional.ofNullable(plans.find(Filters.eq("_id", id)).first())
                .filter(d -> personId.equals(d.getString("personId"))).map(MongoReleasePlanRepository::fromDocument);
    }

    @Override
    public Optional<ReleasePlan> replaceIfVersion(ReleasePlan changed) {
        Document current = plans.find(Filters.eq("_id", changed.id())).first();
        if (current == null) {
            return Optional.empty();
        }
        Document replacement = asDocument(changed).append("idempotencyKey", current.getString("idempotencyKey"));
        long matched = plans.replaceOne(new Document("_id", changed.id()).append("version", changed.version() - 1),
                replacement).getMatchedCount();
        return matched == 1 ? Optional.of(changed) : Optional.empty();
    }

    @Override
    public List<ReleasePlan> findForPerson(String personId, String agency, ReleasePlanCursor after, int limit) {
        // the person's few plans by the person index; filter, order and page them here
        return byPerson.records(plans, personId).stream().map(MongoReleasePlanRepository::fromDocument)
                .filter(p -> agency == null || agency.equals(p.recordedBy().agency()))
                .filter(p -> after == null || p.releaseDate().isAfter(after.releaseDate())
                        || p.releaseDate().equals(after.releaseDate()) && p.id().compareTo(after.id()) > 0)
                .sorted(Comparator.comparing(ReleasePlan::releaseDate).thenComparing(ReleasePlan::id))
                .limit(limit).toList();
    }

    @Override
    public boolean existsRecordedByOtherThan(String personId, String agency) {
        return byPerson.records(plans, personId).stream()
                .anyMatch(d -> !agency.equals(d.get("recordedBy", Document.class).getString("agency")));
    }

    @Override
    public List<ReleasePlan> findOfAgencyReleasing(String agency, LocalDate from, LocalDate to, ReleasePlanCursor after,
                                                   int limit) {
        return page(Filters.and(Filters.eq("recordedBy.agency", agency), Filters.gte("releaseDate", from.toString()),
                Filters.lte("releaseDate", to.toString())), after, limit);
    }

    private List<ReleasePlan> page(Bson filter, ReleasePlanCursor after, int limit) {
        if (after != null) {
            String date = after.releaseDate().toString();
            filter = Filters.and(filter, Filters.or(Filters.gt("releaseDate", date),
                    Filters.and(Filters.eq("releaseDate", date), Filters.gt("_id", after.id()))));
        }
        return plans.find(filter).sort(Sorts.ascending("releaseDate", "_id")).limit(limit)
                .map(MongoReleasePlanRepository::fromDocument).into(new ArrayList<>());
    }

    static Document asDocument(ReleasePlan p) {
        Document d = new Document("_id", p.id())
                .append("personId", p.personId())
                .append("releaseDate", p.releaseDate().toString())
                .append("releasingEstablishment", p.releasingEstablishment())
                .append("localAuthorityCode", p.localAuthorityCode())
                .append("jurisdiction", p.jurisdiction().name())
                .append("referral", p.referral())
                .append("note", p.note())
                .append("recordedBy", actor(p.recordedBy()))
                .append("createdAt", Date.from(p.createdAt()))
                .append("updatedAt", Date.from(p.updatedAt()))
                .append("version", p.version());
        if (p.accommodation() != null) {
            Accommodation a = p.accommodation();
            d.append("accommodation", new Document("type", a.type().name()).append("securedBy", a.securedBy())
                    .append("note", a.note()).append("recordedBy", actor(a.recordedBy()))
                    .append("securedAt", Date.from(a.securedAt())));
        }
        return d;
    }

    static ReleasePlan fromDocument(Document d) {
        Document a = d.get("accommodation", Document.class);
        Accommodation accommodation = a == null ? null : new Accommodation(HousingStatus.valueOf(a.getString("type")),
                a.getString("securedBy"), a.getString("note"), actor(a.get("recordedBy", Document.class)),
                a.getDate("securedAt").toInstant());
        return new ReleasePlan(d.getString("_id"), d.getString("personId"), LocalDate.parse(d.getString("releaseDate")),
                d.getString("releasingEstablishment"), d.getString("localAuthorityCode"),
                Jurisdiction.valueOf(d.getString("jurisdiction")), accommodation, d.getString("referral"),
                d.getString("note"), actor(d.get("recordedBy", Document.class)), d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(), ((Number) d.get("version")).longValue());
    }

    static Document actor(Actor a) {
        return new Document("subject", a.subject()).append("agency", a.agency()).append("agencyType", a.agencyType().name());
    }

    static Actor actor(Document by) {
        return new Actor(by.getString("subject"), by.getString("agency"), AgencyType.valueOf(by.getString("agencyType")));
    }
}
