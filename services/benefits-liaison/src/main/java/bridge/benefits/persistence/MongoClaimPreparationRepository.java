package bridge.benefits.persistence;

import bridge.support.mongo.PersonIndex;
import bridge.benefits.domain.Benefit;
import bridge.benefits.domain.Checklist;
import bridge.benefits.domain.ClaimPreparation;
import bridge.benefits.domain.ClaimPreparationRepository;
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
import java.time.LocalDate;
import java.util.Date;
import java.util.Optional;
import java.util.List;
import java.util.Comparator;
import org.bson.Document;

/**
 * Claim preparations, collection {@code claimPreparations}: one insert per preparation (unique
 * idempotency key), each checklist change one conditional replace on the version.
 */
public final class MongoClaimPreparationRepository implements ClaimPreparationRepository {

    private final MongoCollection<Document> preparations;
    private final PersonIndex byPerson;

    public MongoClaimPreparationRepository(MongoDatabase db) {
        this.preparations = db.getCollection("claimPreparations");
        preparations.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        preparations.createIndex(Indexes.ascending("personId", "_id"), new IndexOptions().name("person"));
        // The embedded server ignores the person index above (it serves unique indexes only), and serves
        // the conditional replace (_id and version) only from a unique index naming exactly those fields
        // (trivially unique; redundant on MongoDB).
        preparations.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("id_version"));
        this.byPerson = new PersonIndex(db, "claimPreparationsByPerson", preparations, "personId");
    }

    @Override
    public ClaimPreparation insertOnce(ClaimPreparation p, String idempotencyKey) {
        byPerson.add(p.personId(), p.id());
        try {
            preparations.insertOne(asDocument(p).append("idempotencyKey", idempotencyKey));
            return p;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                byPerson.remove(p.personId(), p.id());
                Document existing = preparations.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<ClaimPreparation> find(String personId, String id) {
        // by _id alone (an indexed read), then the person checked here: another person's does not exist
        return Optional.ofNullable(preparations.find(Filters.eq("_id", id)).first())
                .filter(d -> personId.equals(d.getString("personId"))).map(MongoClaimPreparationRepository::fromDocument);
    }

    @Override
    public List<ClaimPreparation> findFor(String personId, String agency, Benefit benefit, LocalDate releasedFrom) {
        // dates are stored as ISO text, which sorts and compares like the dates
        return byPerson.records(preparations, personId).stream().map(MongoClaimPreparationRepository::fromDocument)
                .filter(p -> agency.equals(p.recordedBy().agency()) && p.benefit() == benefit
                        && !p.releaseDate().isBefore(releasedFrom))
                .sorted(Comparator.comparing(ClaimPreparation::id)).toList();
    }

    @Override
    public Optional<ClaimPreparation> replaceIfVersion(ClaimPreparation changed) {
        Document current = preparations.find(Filters.eq("_id", changed.id())).first();
        if (current == null) {
            return Optional.empty();
        }
        long matched = preparations.replaceOne(new Document("_id", changed.id()).append("version", changed.version() - 1),
                asDocument(changed).append("idempotencyKey", current.getString("idempotencyKey"))).getMatchedCount();
        return matched == 1 ? Optional.of(changed) : Optional.empty();
    }

    static Document asDocument(ClaimPreparation p) {
        Checklist c = p.checklist();
        return new Document("_id", p.id())
                .append("personId", p.personId())
                .append("benefit", p.benefit().name())
                .append("releaseDate", p.releaseDate().toString())
                .append("jurisdiction", p.jurisdiction().name())
                .append("checklist", new Document("proofOfIdentityHeld", c.proofOfIdentityHeld())
                        .append("bankAccountReady", c.bankAccountReady())
                        .append("nationalInsuranceNumberVerified", c.nationalInsuranceNumberVerified())
                        .append("jobcentreAppointment", text(c.jobcentreAppointment()))
                        .append("expectedFirstPayment", text(c.expectedFirstPayment())))
                .append("referral", p.referral())
                .append("recordedBy", new Document("subject", p.recordedBy().subject())
                        .append("agency", p.recordedBy().agency())
                        .append("agencyType", p.recordedBy().agencyType().name()))
                .append("createdAt", Date.from(p.createdAt()))
                .append("updatedAt", Date.from(p.updatedAt()))
                .append("version", p.version());
    }

    static ClaimPreparation fromDocument(Document d) {
        Document c = d.get("checklist", Document.class);
        Document by = d.get("recordedBy", Document.class);
        return new ClaimPreparation(d.getString("_id"), d.getString("personId"), Benefit.valueOf(d.getString("benefit")),
                LocalDate.parse(d.getString("releaseDate")), Jurisdiction.valueOf(d.getString("jurisdiction")),
                new Checklist(c.getBoolean("proofOfIdentityHeld"), c.getBoolean("bankAccountReady"),
                        c.getBoolean("nationalInsuranceNumberVerified"), date(c.getString("jobcentreAppointment")),
                        date(c.getString("expectedFirstPayment"))),
                d.getString("referral"),
                new Actor(by.getString("subject"), by.getString("agency"), AgencyType.valueOf(by.getString("agencyType"))),
                d.getDate("createdAt").toInstant(), d.getDate("updatedAt").toInstant(), ((Number) d.get("version")).longValue());
    }

    private static String text(LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static LocalDate date(String s) {
        return s == null ? null : LocalDate.parse(s);
    }
}
