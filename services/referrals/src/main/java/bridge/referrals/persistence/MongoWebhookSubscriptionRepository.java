package bridge.referrals.persistence;

import bridge.referrals.domain.WebhookSubscription;
import bridge.referrals.domain.WebhookSubscriptionRepository;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Webhook subscriptions, collection {@code webhookSubscriptions}. The secret is stored as issued:
 * the service must sign with it (HMAC is symmetric); the database is the service's own.
 */
public final class MongoWebhookSubscriptionRepository implements WebhookSubscriptionRepository {

    private final MongoCollection<Document> subscriptions;

    public MongoWebhookSubscriptionRepository(MongoDatabase db) {
        this.subscriptions = db.getCollection("webhookSubscriptions");
        subscriptions.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        subscriptions.createIndex(Indexes.ascending("agency", "_id"), new IndexOptions().name("agency"));
    }

    @Override
    public WebhookSubscription insertOnce(WebhookSubscription s, String idempotencyKey) {
        Document d = new Document("_id", s.id()).append("agency", s.agency()).append("url", s.url())
                .append("events", s.events().stream().map(Enum::name).toList()).append("secret", s.secret())
                .append("createdAt", Date.from(s.createdAt()))
                .append("creator", MongoReferralRepository.asDocument(s.creator()))
                .append("idempotencyKey", idempotencyKey);
        try {
            subscriptions.insertOne(d);
            return s;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document existing = subscriptions.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<WebhookSubscription> findById(String id) {
        return Optional.ofNullable(subscriptions.find(Filters.eq("_id", id)).first()).map(MongoWebhookSubscriptionRepository::fromDocument);
    }

    @Override
    public List<WebhookSubscription> findByAgency(String agency, String afterId, int limit) {
        Bson f = afterId == null ? Filters.eq("agency", agency) : Filters.and(Filters.eq("agency", agency), Filters.gt("_id", afterId));
        return subscriptions.find(f).sort(Sorts.ascending("_id")).limit(limit)
                .map(MongoWebhookSubscriptionRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public List<WebhookSubscription> findByAgencies(Collection<String> agencies) {
        return subscriptions.find(Filters.in("agency", agencies)).sort(Sorts.ascending("_id"))
                .map(MongoWebhookSubscriptionRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public List<WebhookSubscription> findByEvent(WebhookSubscription.Event event) {
        return subscriptions.find(Filters.eq("events", event.name())).sort(Sorts.ascending("_id"))
                .map(MongoWebhookSubscriptionRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public boolean delete(String id) {
        return subscriptions.deleteOne(Filters.eq("_id", id)).getDeletedCount() == 1;
    }

    static WebhookSubscription fromDocument(Document d) {
        EnumSet<WebhookSubscription.Event> events = EnumSet.noneOf(WebhookSubscription.Event.class);
        d.getList("events", String.class, List.of()).forEach(e -> events.add(WebhookSubscription.Event.valueOf(e)));
        return new WebhookSubscription(d.getString("_id"), d.getString("agency"), d.getString("url"), events,
                d.getString("secret"), d.getDate("createdAt").toInstant(),
                MongoReferralRepository.actor(d.get("creator", Document.class)));
    }
}
