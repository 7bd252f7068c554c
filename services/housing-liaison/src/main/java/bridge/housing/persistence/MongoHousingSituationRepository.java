package bridge.housing.persistence;

import bridge.support.mongo.PersonIndex;
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
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Housing situations in the housing liaison service's own database, collection
 * {@code housingSituations}. Start dates are stored as ISO-8601 text (yyyy-MM-dd), whose order is
 * the calendar's. Idempotent recording rests on a unique index over the idempotency key: the insert
 * is the single write, so a retry either inserts nothing or finds the first attempt's record.
 */
public final class MongoHousingSituationRepository implements HousingSituationRepository {

    private final MongoCollection<Document> situations;
    private final PersonIndex byPerson;

    public MongoHousingSituationRepository(MongoDatabase db) {
        this.situations = db.getCollection("housingSituations");
        situations.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // ListHousingSituations: one person's situations recorded by one agency, newest start first.
        situations.createIndex(Indexes.compoundIndex(Indexes.ascending("personId", "recordedBy.agency"),
                Indexes.descending("startDate"), Indexes.ascending("_id")), new IndexOptions().name("person_agency_start"));
        // ... which the embedded server ignores (it serves unique indexes only): by-person reads use this.
        this.byPerson = new PersonIndex(db, "housingSituationsByPerson", situations, "personId");
    }

    @Override
    public HousingSituation insertOnce(HousingSituation situation, String idempotencyKey) {
        Document doc = asDocument(situation).append("idempotencyKey", idempotencyKey);
        byPerson.add(situation.personId(), situation.id());
        try {
            situations.insertOne(doc);
            return situation;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                byPerson.remove(situation.personId(), situation.id());
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
        // the person's few situations by the person index; filter, order and page them here
        return byPerson.records(situations, personId).stream().map(MongoHousingSituationRepository::fromDocument)
                .filter(s -> agency == null || agency.equals(s.recordedBy().agency()))
                .filter(s -> after == null || s.startDate().isBefore(after.startDate())
                        || s.startDate().equals(after.startDate()) && s.id().compareTo(after.id()) > 0)
                .sorted(NEWEST_START_FIRST).limit(limit).toList();
    }

    /** ListHousingSituations' order: newest start first, then by id. */
    private static final Comparator<HousingSituation> NEWEST_START_FIRST =
            Comparator.comparing(HousingSituation::startDate).reversed().thenComparing(HousingSituation::id);

    @Override
    public boolean existsRecordedByOtherThan(String personId, String agency) {
        return byPerson.records(situations, personId).stream()
                .anyMatch(d -> !agency.equals(d.get("recordedBy", Document.class).getString("agency")));
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
