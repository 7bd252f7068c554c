package bridge.referrals.domain;

import java.util.List;
import java.util.Optional;

/** Webhook subscriptions, implemented in persistence. */
public interface WebhookSubscriptionRepository {

    /** Stores it unless one exists under the idempotency key, in which case that one is returned. */
    WebhookSubscription insertOnce(WebhookSubscription s, String idempotencyKey);

    Optional<WebhookSubscription> findById(String id);

    /** The agency's subscriptions with id after {@code afterId} (null: from the start), by id, at most {@code limit}. */
    List<WebhookSubscription> findByAgency(String agency, String afterId, int limit);

    /** Every subscription of these agencies. */
    List<WebhookSubscription> findByAgencies(java.util.Collection<String> agencies);

    /** Every subscription to this event (the overdue scan). */
    List<WebhookSubscription> findByEvent(WebhookSubscription.Event event);

    boolean delete(String id);
}
