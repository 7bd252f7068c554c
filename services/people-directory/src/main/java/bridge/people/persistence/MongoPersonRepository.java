package bridge.people.persistence;

import bridge.people.domain.CareTeamMember;
import bridge.people.domain.ContactDetail;
import bridge.people.domain.Gender;
import bridge.people.domain.Identifier;
import bridge.people.domain.IdentifierType;
import bridge.people.domain.Person;
import bridge.people.domain.PersonMatcher;
import bridge.people.domain.PersonName;
import bridge.people.domain.PersonRepository;
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
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * People in the directory's own database, collection {@code people}. Idempotent registration rests
 * on a unique index over the idempotency key: the insert is the single write, so a retry either
 * inserts nothing or finds the first attempt's record (no multi-document transaction needed).
 */
public final class MongoPersonRepository implements PersonRepository {

    private final MongoCollection<Document> people;
    private final MongoCollection<Document> reviews;

    public MongoPersonRepository(MongoDatabase db) {
        this.people = db.getCollection("people");
        // Suspected duplicates a registering agency could not be told about; worked by a data steward.
        this.reviews = db.getCollection("duplicate_reviews");
        reviews.createIndex(Indexes.ascending("status", "createdAt"), new IndexOptions().name("open_reviews"));
        people.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // Exact lookup by identifier (issue: people directory search); unique is not wanted (duplicates are merged, not refused).
        people.createIndex(Indexes.ascending("identifiers.type", "identifiers.value"), new IndexOptions().name("identifier"));
        // Blocking keys of probabilistic search (PersonMatcher): phonetic codes of names and the date of
        // birth, one multikey index. A real MongoDB serves "matchKeys $in [...]" from it; the embedded
        // server accepts the declaration and scans.
        people.createIndex(Indexes.ascending("matchKeys"), new IndexOptions().name("match_keys"));
    }

    @Override
    public List<Person> findByIdentifier(IdentifierType type, String value) {
        return people.find(Filters.elemMatch("identifiers",
                        Filters.and(Filters.eq("type", type.name()), Filters.eq("value", value))))
                .sort(Sorts.ascending("_id")).map(MongoPersonRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public List<Person> findByMatchKeys(Set<String> keys, int limit) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return people.find(Filters.in("matchKeys", keys)).sort(Sorts.ascending("_id")).limit(limit)
                .map(MongoPersonRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public void queueDuplicateReview(String personId, String candidateId, String kind, double score, String registeringAgency) {
        reviews.insertOne(new Document("_id", personId + ":" + candidateId).append("personId", personId)
                .append("candidateId", candidateId).append("kind", kind).append("score", score)
                .append("registeringAgency", registeringAgency).append("status", "OPEN")
                .append("createdAt", new Date()));
    }

    @Override
    public Optional<Person> findByIdempotencyKey(String idempotencyKey) {
        return Optional.ofNullable(people.find(Filters.eq("idempotencyKey", idempotencyKey)).first())
                .map(MongoPersonRepository::fromDocument);
    }

    @Override
    public Person insertOnce(Person person, String idempotencyKey) {
        Document doc = asDocument(person).append("idempotencyKey", idempotencyKey);
        try {
            people.insertOne(doc);
            return person;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document existing = people.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<Person> findById(String id) {
        return Optional.ofNullable(people.find(Filters.eq("_id", id)).first()).map(MongoPersonRepository::fromDocument);
    }

    static Document asDocument(Person p) {
        return new Document("_id", p.id())
                .append("identifiers", p.identifiers().stream().map(i -> new Document("type", i.type().name())
                        .append("value", i.value()).append("issuingAgency", i.issuingAgency())).toList())
                .append("preferredName", name(p.preferredName()))
                .append("otherNames", p.otherNames().stream().map(MongoPersonRepository::name).toList())
                .append("dateOfBirth", p.dateOfBirth() == null ? null : p.dateOfBirth().toString())
                .append("contactDetails", p.contactDetails().stream().map(c -> new Document("method", c.method().name())
                        .append("value", c.value()).append("safeToContact", c.safeToContact())
                        .append("preferred", c.preferred())).toList())
                .append("careTeam", p.careTeam().stream().map(m -> new Document("agency", m.agency())
                        .append("agencyType", m.agencyType().name()).append("role", m.role())
                        .append("leadContact", m.leadContact()).append("joinedAt", Date.from(m.joinedAt()))).toList())
                .append("registeredBy", new Document("subject", p.registeredBy().subject())
                        .append("agency", p.registeredBy().agency())
                        .append("agencyType", p.registeredBy().agencyType().name()))
                .append("createdAt", Date.from(p.createdAt()))
                .append("updatedAt", Date.from(p.updatedAt()))
                .append("version", p.version())
                .append("gender", p.gender() == null ? null : p.gender().name())
                .append("matchKeys", new ArrayList<>(PersonMatcher.blockingKeys(p)));
    }

    static Person fromDocument(Document d) {
        Document by = d.get("registeredBy", Document.class);
        return new Person(
                d.getString("_id"),
                d.getList("identifiers", Document.class).stream().map(i -> new Identifier(
                        IdentifierType.valueOf(i.getString("type")), i.getString("value"), i.getString("issuingAgency"))).toList(),
                name(d.get("preferredName", Document.class)),
                d.getList("otherNames", Document.class).stream().map(MongoPersonRepository::name).toList(),
                d.getString("dateOfBirth") == null ? null : LocalDate.parse(d.getString("dateOfBirth")),
                d.getList("contactDetails", Document.class).stream().map(c -> new ContactDetail(
                        ContactDetail.Method.valueOf(c.getString("method")), c.getString("value"),
                        c.getBoolean("safeToContact", false), c.getBoolean("preferred", false))).toList(),
                d.getList("careTeam", Document.class).stream().map(m -> new CareTeamMember(m.getString("agency"),
                        AgencyType.valueOf(m.getString("agencyType")), m.getString("role"), m.getString("leadContact"),
                        m.getDate("joinedAt").toInstant())).toList(),
                new Actor(by.getString("subject"), by.getString("agency"), AgencyType.valueOf(by.getString("agencyType"))),
                d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(),
                ((Number) d.get("version")).longValue(),
                d.getString("gender") == null ? null : Gender.valueOf(d.getString("gender")));
    }

    private static Document name(PersonName n) {
        return n == null ? null : new Document("givenNames", n.givenNames()).append("familyName", n.familyName());
    }

    private static PersonName name(Document d) {
        return d == null ? null : new PersonName(d.getString("givenNames"), d.getString("familyName"));
    }

    List<Document> raw() {
        return people.find().into(new java.util.ArrayList<>());
    }
}
