package bridge.referrals.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * An agency's integrator's subscription to referral events: deliveries of the referrals that
 * agency sent or received, signed with {@code secret} (HMAC-SHA256; shown to the subscriber once).
 */
public record WebhookSubscription(String id, String agency, String url, Set<Event> events, String secret,
                                  Instant createdAt, Actor creator) {

    public enum Event {
        CREATED, STATE_CHANGED, OVERDUE
    }

    public WebhookSubscription {
        events = events == null || events.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
    }

    /** As listed: without the secret. */
    public WebhookSubscription withoutSecret() {
        return new WebhookSubscription(id, agency, url, events, "", createdAt, creator);
    }
}
