package bridge.referrals.domain;

import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Managing an agency's webhook subscriptions. Any worker or integrator of the agency (not PLATFORM)
 * manages its own agency's subscriptions: they only ever deliver ids and states of referrals that
 * agency sent or received. Another agency's subscription is "not found".
 */
public final class WebhookSubscriptions {

    static final int MAX_URL_LENGTH = 2000;
    static final int SECRET_BYTES = 32;
    static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final WebhookSubscriptionRepository subscriptions;
    private final Clock clock;
    private final Supplier<String> ids;
    private final SecureRandom random = new SecureRandom();

    public WebhookSubscriptions(WebhookSubscriptionRepository subscriptions, Clock clock, Supplier<String> ids) {
        this.subscriptions = subscriptions;
        this.clock = clock;
        this.ids = ids;
    }

    /** A new subscription with a freshly generated secret (64 hex characters), returned with it this once. */
    public WebhookSubscription create(Caller caller, String url, Set<WebhookSubscription.Event> events, String requestId,
                                      Violations mappingViolations) {
        denyPlatform(caller);
        Violations v = mappingViolations;
        validateUrl(url, v);
        if (events == null || events.isEmpty()) {
            v.add("webhook_subscription.events", "at least one of CREATED, STATE_CHANGED, OVERDUE");
        }
        if (requestId != null && requestId.length() > Referrals.MAX_REQUEST_ID_LENGTH) {
            v.add("request_id", "at most " + Referrals.MAX_REQUEST_ID_LENGTH + " characters");
        }
        v.throwIfAny();
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        String id = ids.get();
        WebhookSubscription s = new WebhookSubscription(id, caller.agency(), url.strip(), events,
                HexFormat.of().formatHex(secret), clock.instant().truncatedTo(ChronoUnit.MILLIS), Actor.of(caller));
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        return subscriptions.insertOnce(s, key);
    }

    /** One page of the agency's subscriptions (without secrets) and the next page's token ("" on the last). */
    public record Page(List<WebhookSubscription> subscriptions, String nextPageToken) {
    }

    public Page list(Caller caller, int pageSize, String pageToken, Violations v) {
        denyPlatform(caller);
        int size = Referrals.pageSize(pageSize, v);
        String bind = "webhooks:" + caller.agency();
        String afterId = null;
        if (pageToken != null && !pageToken.isEmpty()) {
            java.util.Optional<String[]> parts = bridge.support.paging.PageTokens.decode(pageToken, bind);
            if (parts.isEmpty() || parts.get().length != 2) {
                v.add("page_token", "is not a page token of this list (pass next_page_token unchanged)");
            } else {
                afterId = parts.get()[1];
            }
        }
        v.throwIfAny();
        List<WebhookSubscription> found = subscriptions.findByAgency(caller.agency(), afterId, size + 1);
        List<WebhookSubscription> page = found.subList(0, Math.min(size, found.size())).stream()
                .map(WebhookSubscription::withoutSecret).toList();
        return new Page(page, found.size() > size ? bridge.support.paging.PageTokens.encode(bind, "s", page.getLast().id()) : "");
    }

    public WebhookSubscription delete(Caller caller, String id) {
        denyPlatform(caller);
        WebhookSubscription s = subscriptions.findById(id).filter(x -> x.agency().equals(caller.agency()))
                .orElseThrow(() -> new NotFoundException("WEBHOOK_SUBSCRIPTION_NOT_FOUND", "webhookSubscriptions/" + id + " not found"));
        subscriptions.delete(id);
        return s.withoutSecret();
    }

    /** https anywhere; plain http only to a loopback host (local runs and tests), never to another machine. */
    static void validateUrl(String url, Violations v) {
        String field = "webhook_subscription.url";
        if (url == null || url.isBlank()) {
            v.add(field, "is required");
            return;
        }
        if (url.length() > MAX_URL_LENGTH) {
            v.add(field, "at most " + MAX_URL_LENGTH + " characters");
            return;
        }
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (u.getHost() == null || u.getUserInfo() != null || u.getFragment() != null) {
                v.add(field, "must be an absolute URL with a host, no user info and no fragment");
            } else if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK.contains(u.getHost()))) {
                v.add(field, "must be https (plain http only to a loopback host)");
            }
        } catch (URISyntaxException e) {
            v.add(field, "is not a URL");
        }
    }

    private static void denyPlatform(Caller caller) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators do not subscribe to referral events");
        }
    }

}
