package bridge.referrals.webhooks;

import bridge.referrals.domain.WebhookSubscription;
import bridge.referrals.domain.WebhookSubscriptionRepository;
import bridge.support.outbox.DeliveryOutcome;
import bridge.support.outbox.OutboxHandler;
import bridge.support.outbox.OutboxMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Delivers one outbox message to its subscription's URL: POST, JSON, signed at the moment of this
 * attempt ({@link WebhookSignatures}), with a deadline. 2xx is delivered; 408, 429, 5xx and network
 * failures are retried by the outbox with backoff; any other answer, or a deleted subscription, is
 * permanent (a dead letter operators can replay).
 */
public final class WebhookDelivery implements OutboxHandler {

    private final WebhookSubscriptionRepository subscriptions;
    private final HttpClient http;
    private final Duration deadline;
    private final Clock clock;

    public WebhookDelivery(WebhookSubscriptionRepository subscriptions, Duration deadline, Clock clock) {
        this.subscriptions = subscriptions;
        this.deadline = deadline;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(deadline).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String channel() {
        return WebhookFanout.CHANNEL;
    }

    @Override
    public DeliveryOutcome deliver(OutboxMessage message) {
        Optional<WebhookSubscription> s = subscriptions.findById(message.attributes().get("subscription"));
        if (s.isEmpty()) {
            return DeliveryOutcome.reject("subscription deleted");
        }
        byte[] body = message.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(s.get().url()))
                .timeout(deadline)
                .header("Content-Type", "application/json")
                .header(WebhookSignatures.ID_HEADER, message.idempotencyKey())
                .header(WebhookSignatures.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignatures.SIGNATURE_HEADER, WebhookSignatures.sign(s.get().secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return DeliveryOutcome.delivered();
            }
            if (status == 408 || status == 429 || status >= 500) {
                return DeliveryOutcome.retry("receiver answered " + status);
            }
            return DeliveryOutcome.reject("receiver answered " + status);
        } catch (IOException e) {
            return DeliveryOutcome.retry("receiver unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retry("interrupted");
        }
    }
}
