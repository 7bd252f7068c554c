package bridge.housing.persistence;

import bridge.housing.domain.HousingCursor;
import bridge.housing.domain.HousingSituation;
import bridge.housing.domain.HousingSituationRepository;
import bridge.housing.domain.HousingStatus;
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
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Housing situations in the housing liaison service's own database, collection
 * {@code housingSituations}. Start dates are stored as ISO-8601 text (yyyy-MM-dd), whose order is
 * the calendar's. Idempotent recording rests on a unique index over the idempotency key: the insert
 * is the single write, so a retry either inserts nothing or finds the first attempt's record.
 */
public final class MongoHousingSituationRepository implements HousingSituationRepository {

    private final MongoCollection<Document> situations;

    public MongoHousingSituationRepository(MongoDatabase db) {
        this.situations = db.getCollection("housingSituations");
        situations.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // ListHousingSituations: one person's situations recorded by one agency, newest start first.
        situations.createIndex(Indexes.compoundIndex(Indexes.ascending("personId", "recordedBy.agency"),
                Indexes.descending("startDate"), Indexes.ascending("_id")), new IndexOptions().name("person_agency_start"));
    }

    @Override
    public HousingSituation insertOnce(HousingSituation situation, String idempotencyKey) {
        Document doc = asDocument(situation).append("idempotencyKey", idempotencyKey);
        try {
            situations.insertOne(doc);
            return situation;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document existing = situations.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public List<HousingSituation> findRecordedBy(String personId, String agency, HousingCursor after, int limit) {
        Bson filter = agency == null ? Filters.eq("personId", personId)
                : Filters.and(Filters.eq("personId", personId), Filters.eq("recordedBy.agency", agency));
        if (after != null) {
            String start = after.startDate().toString();
            filter = Filters.and(filter, Filters.or(Filters.lt("startDate", start),
                    Filters.and(Filters.eq("startDate", start), Filters.gt("_id", after.id()))));
        }
        return situations.find(filter).sort(Sorts.orderBy(Sorts.descending("startDate"), Sorts.ascending("_id")))
                .limit(limit).map(MongoHousingSituationRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public boolean existsRecordedByOtherThan(String personId, String agency) {
        return situations.find(Filters.and(Filters.eq("personId", personId), Filters.ne("recordedBy.agency", agency)))
                .projection(new Document("_id", 1)).limit(1).first() != null;
    }

    static Document asDocument(HousingSituation s) {
        return new Document("_id", s.id())
                .append("personId", s.personId())
                .append("status", s.status().name())
                .append("startDate", s.startDate().toString())
                .append("localAuthority", s.localAuthority())
                .append("note", s.note())
                .append("recordedBy", new Document("subject", s.recordedBy().subject())
                        .append("agency", s.recordedBy().agency())
                        .append("agencyType", s.recordedBy().agencyType().name()))
                .append("createdAt", Date.from(s.createdAt()))
                .append("version", s.version());
    }

    static HousingSituation fromDocument(Document d) {
        Document by = d.get("recordedBy", Document.class);
        return new HousingSituation(
                d.getString("_id"),
                d.getString("personId"),
                HousingStatus.valueOf(d.getString("status")),
                LocalDate.parse(d.getString("startDate")),
                d.getString("localAuthority"),
                d.getString("note"),
                new Actor(by.getString("subject"), by.getString("agency"), AgencyType.valueOf(by.getString("agencyType"))),
                d.getDate("createdAt").toInstant(),
                ((Number) d.get("version")).longValue());
    }
}
