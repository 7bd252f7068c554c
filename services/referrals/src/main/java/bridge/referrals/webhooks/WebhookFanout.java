package bridge.referrals.webhooks;

import bridge.referrals.domain.HistoryEntry;
import bridge.referrals.domain.Overdue;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.ReferralEvents;
import bridge.referrals.domain.ReferralRepository;
import bridge.referrals.domain.TimerPolicy;
import bridge.referrals.domain.WebhookSubscription;
import bridge.referrals.domain.WebhookSubscription.Event;
import bridge.referrals.domain.WebhookSubscriptionRepository;
import bridge.support.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns referral events into webhook deliveries, written to the shared outbox AFTER the referral's
 * own write (write first, deliver after): one message per matching subscription of the sending or
 * receiving agency, ordered per subscription, with an idempotency key derived from the event
 * (subscription, referral, and "created", the transition's number or the timer), so enqueueing again is harmless. If enqueueing fails
 * the request fails; a retried create re-enqueues the same messages, and {@link #scan} re-enqueues
 * whatever a failed request left out (it walks the recently changed referrals), and raises overdue
 * events.
 *
 * <p>Payloads carry ids and states only — the referral's name, status, previous status, the
 * transition's number, the timer — never the person, the pathway, the reason or any pathway data: a receiver reads those
 * through GetReferral, where consent is enforced.
 */
public final class WebhookFanout implements ReferralEvents {

    public static final String CHANNEL = "referral-webhooks";

    private final WebhookSubscriptionRepository subscriptions;
    private final Outbox outbox;

    public WebhookFanout(WebhookSubscriptionRepository subscriptions, Outbox outbox) {
        this.subscriptions = subscriptions;
        this.outbox = outbox;
    }

    @Override
    public void sent(Referral r) {
        created(r);
    }

    @Override
    public void retried(Referral r) {
        created(r);
    }

    private void created(Referral r) {
        for (WebhookSubscription s : subscriptionsOf(r)) {
            if (s.events().contains(Event.CREATED)) {
                enqueue(s, r.id() + ":created", payload("referral.created", r.id(), r.createdAt(), "REQUESTED", null, 0,
                        null, null));
            }
        }
    }

    @Override
    public void moved(Referral after, HistoryEntry e) {
        for (WebhookSubscription s : subscriptionsOf(after)) {
            if (s.events().contains(Event.STATE_CHANGED)) {
                stateChanged(s, after, after.history().size());
            }
        }
    }

    /** The {@code n}-th transition (1-based) of the referral: its number is the event's identity. */
    private void stateChanged(WebhookSubscription s, Referral r, int n) {
        HistoryEntry e = r.history().get(n - 1);
        enqueue(s, r.id() + ":t" + n, payload("referral.state_changed", r.id(), e.at(), e.status().name(),
                e.previousStatus().name(), n, null, null));
    }

    /**
     * Re-enqueues the events of referrals changed since {@code since} (idempotent: only what a failed
     * request left out is new), and the overdue events of every agency subscribed to them.
     */
    public void scan(ReferralRepository referrals, TimerPolicy timers, Instant since, Clock clock) {
        for (Referral r : referrals.findUpdatedSince(since)) {
            List<WebhookSubscription> subs = subscriptionsOf(r);
            // not sent until its hand-over is done (a refused one is removed again): the create that completes it announces it
            if (subs.isEmpty() || r.handover() != null && !r.handover().isDone()) {
                continue;
            }
            created(r);
            for (int n = 1; n <= r.history().size(); n++) {
                for (WebhookSubscription s : subs) {
                    if (s.events().contains(Event.STATE_CHANGED)) {
                        stateChanged(s, r, n);
                    }
                }
            }
        }
        Instant now = clock.instant();
        for (WebhookSubscription s : subscriptions.findByEvent(Event.OVERDUE)) {
            for (Referral r : referrals.findReceivedBy(s.agency(), TimerPolicy.RUNNING, timers.earliestSendingThatCanBeDue(now))) {
                Optional<Overdue> o = timers.overdue(r, now);
                o.ifPresent(x -> enqueue(s, r.id() + ":overdue:" + x.timer().name(), payload("referral.overdue", r.id(),
                        x.due(), r.status().name(), null, 0, x.timer().name(), x.due())));
            }
        }
    }

    private List<WebhookSubscription> subscriptionsOf(Referral r) {
        return subscriptions.findByAgencies(List.of(r.requester().agency(), r.performerAgency()));
    }

    private void enqueue(WebhookSubscription s, String event, String payload) {
        String key = s.id() + ":" + event;
        outbox.enqueue(CHANNEL, s.id(), key, payload.replace("\"id\":\"\"", "\"id\":\"" + key + "\""),
                Map.of("subscription", s.id(), "url", s.url()));
    }

    /** @param transition the transition's number (1 = the first), 0 for events that are not transitions */
    static String payload(String type, String referralId, Instant at, String status, String previousStatus, int transition,
                          String timer, Instant due) {
        StringBuilder b = new StringBuilder("{\"id\":\"\",\"type\":\"").append(type)
                .append("\",\"occurredAt\":\"").append(at)
                .append("\",\"referral\":\"referrals/").append(referralId)
                .append("\",\"status\":\"").append(status).append('"');
        if (previousStatus != null) {
            b.append(",\"previousStatus\":\"").append(previousStatus).append('"');
        }
        if (transition > 0) {
            b.append(",\"transition\":").append(transition);
        }
        if (timer != null) {
            b.append(",\"timer\":\"").append(timer).append("\",\"dueAt\":\"").append(due).append('"');
        }
        return b.append('}').toString();
    }
}
