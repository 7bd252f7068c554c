package bridge.consent.persistence;

import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentCursor;
import bridge.consent.domain.ConsentMethod;
import bridge.consent.domain.ConsentRepository;
import bridge.consent.domain.ConsentState;
import bridge.consent.domain.DataCategory;
import bridge.consent.domain.Purpose;
import bridge.consent.domain.Recipient;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Consents in the consent service's own database, collection {@code consents}. Idempotent
 * recording rests on a unique index over the idempotency key: the insert is the single write, so
 * a retry either inserts nothing or finds the first attempt's record (no transaction needed).
 */
public final class MongoConsentRepository implements ConsentRepository {

    private final MongoCollection<Document> consents;

    public MongoConsentRepository(MongoDatabase db) {
        this.consents = db.getCollection("consents");
        consents.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // ListConsents: one person's consents recorded by one agency, in (createdAt, _id) order.
        consents.createIndex(Indexes.ascending("personId", "recordedBy.agency", "createdAt", "_id"),
                new IndexOptions().name("person_agency_created"));
    }

    @Override
    public Consent insertOnce(Consent consent, String idempotencyKey) {
        Document doc = toDocument(consent).append("idempotencyKey", idempotencyKey);
        try {
            consents.insertOne(doc);
            return consent;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document existing = consents.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public List<Consent> findRecordedBy(String personId, String agency, ConsentCursor after, int limit) {
        Bson filter = Filters.and(Filters.eq("personId", personId), Filters.eq("recordedBy.agency", agency));
        if (after != null) {
            Date at = Date.from(after.createdAt());
            filter = Filters.and(filter, Filters.or(Filters.gt("createdAt", at),
                    Filters.and(Filters.eq("createdAt", at), Filters.gt("_id", after.id()))));
        }
        return consents.find(filter).sort(Sorts.ascending("createdAt", "_id")).limit(limit)
                .map(MongoConsentRepository::fromDocument).into(new ArrayList<>());
    }

    static Document toDocument(Consent c) {
        return new Document("_id", c.id())
                .append("personId", c.personId())
                .append("recipients", c.recipients().stream().map(r -> r.isNamedAgency()
                        ? new Document("agency", r.agency())
                        : new Document("agencyType", r.agencyType().name())).toList())
                .append("categories", c.categories().stream().map(Enum::name).toList())
                .append("purposes", c.purposes().stream().map(Enum::name).toList())
                .append("validFrom", Date.from(c.validFrom()))
                .append("validUntil", c.validUntil() == null ? null : Date.from(c.validUntil()))
                .append("method", c.method().name())
                .append("capacityNote", c.capacityNote())
                .append("state", c.state().name())
                .append("recordedBy", new Document("subject", c.recordedBy().subject())
                        .append("agency", c.recordedBy().agency())
                        .append("agencyType", c.recordedBy().agencyType().name()))
                .append("createdAt", Date.from(c.createdAt()))
                .append("version", c.version());
    }

    static Consent fromDocument(Document d) {
        Document by = d.get("recordedBy", Document.class);
        Date until = d.getDate("validUntil");
        return new Consent(
                d.getString("_id"),
                d.getString("personId"),
                d.getList("recipients", Document.class).stream().map(r -> r.getString("agency") != null
                        ? Recipient.agency(r.getString("agency"))
                        : Recipient.agencyType(AgencyType.valueOf(r.getString("agencyType")))).toList(),
                d.getList("categories", String.class).stream().map(DataCategory::valueOf).toList(),
                d.getList("purposes", String.class).stream().map(Purpose::valueOf).toList(),
                d.getDate("validFrom").toInstant(),
                until == null ? null : until.toInstant(),
                ConsentMethod.valueOf(d.getString("method")),
                d.getString("capacityNote"),
                ConsentState.valueOf(d.getString("state")),
                new Actor(by.getString("subject"), by.getString("agency"), AgencyType.valueOf(by.getString("agencyType"))),
                d.getDate("createdAt").toInstant(),
                ((Number) d.get("version")).longValue());
    }
}
