package bridge.people.persistence;

import bridge.people.domain.CareTeamMember;
import bridge.people.domain.ContactDetail;
import bridge.people.domain.Identifier;
import bridge.people.domain.IdentifierType;
import bridge.people.domain.Person;
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
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * People in the directory's own database, collection {@code people}. Idempotent registration rests
 * on a unique index over the idempotency key: the insert is the single write, so a retry either
 * inserts nothing or finds the first attempt's record (no multi-document transaction needed).
 */
public final class MongoPersonRepository implements PersonRepository {

    private final MongoCollection<Document> people;

    public MongoPersonRepository(MongoDatabase db) {
        this.people = db.getCollection("people");
        people.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // Exact lookup by identifier (issue: people directory search); unique is not wanted (duplicates are merged, not refused).
        people.createIndex(Indexes.ascending("identifiers.type", "identifiers.value"), new IndexOptions().name("identifier"));
    }

    @Override
    public Person insertOnce(Person person, String idempotencyKey) {
        Document doc = toDocument(person).append("idempotencyKey", idempotencyKey);
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

    static Document toDocument(Person p) {
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
                .append("version", p.version());
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
                ((Number) d.get("version")).longValue());
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
