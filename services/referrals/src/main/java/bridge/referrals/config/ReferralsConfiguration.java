package bridge.referrals.config;

import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayTimers;
import bridge.referrals.domain.ReferralRepository;
import bridge.referrals.domain.TimerPolicy;
import bridge.referrals.domain.Referrals;
import bridge.referrals.persistence.MongoReferralRepository;
import bridge.referrals.domain.WebhookSubscriptionRepository;
import bridge.referrals.domain.WebhookSubscriptions;
import bridge.referrals.persistence.MongoWebhookSubscriptionRepository;
import bridge.referrals.webhooks.WebhookDelivery;
import bridge.referrals.webhooks.WebhookFanout;
import bridge.support.mongo.Ids;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxDispatcher;
import bridge.support.outbox.RetryPolicy;
import java.util.List;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReferralsProperties.class)
public class ReferralsConfiguration {

    /** System time unless in-process code shifts it (see ReferralsClock); tests may still replace it. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean(Clock.class)
    ReferralsClock referralsClock() {
        return new ReferralsClock();
    }

    @Bean
    ReferralRepository referralRepository(MongoDatabase db) {
        return new MongoReferralRepository(db);
    }

    @Bean
    TimerPolicy timerPolicy(ReferralsProperties properties) {
        Map<Pathway, PathwayTimers> overrides = new EnumMap<>(Pathway.class);
        properties.timers().forEach((pathway, t) -> overrides.put(pathway, t.toDomain()));
        return new TimerPolicy(overrides);
    }

    @Bean
    MicrometerReferralEvents referralEvents(io.micrometer.core.instrument.MeterRegistry meters) {
        return new MicrometerReferralEvents(meters);
    }

    @Bean
    Referrals referrals(ReferralRepository referrals, bridge.support.consent.ConsentDecisions decisions,
                        bridge.support.people.PersonVisibility people, Clock clock, TimerPolicy timers,
                        MicrometerReferralEvents events, WebhookFanout webhooks,
                        bridge.referrals.domain.LiaisonHandovers handovers) {
        Referrals r = new Referrals(referrals, decisions, people, clock, Ids::next, timers)
                .withEvents(bridge.referrals.domain.ReferralEvents.both(events, webhooks))
                .withHandovers(handovers);
        events.start(r, clock);
        return r;
    }

    @Bean
    WebhookSubscriptionRepository webhookSubscriptionRepository(MongoDatabase db) {
        return new MongoWebhookSubscriptionRepository(db);
    }

    @Bean
    WebhookSubscriptions webhookSubscriptions(WebhookSubscriptionRepository subscriptions, Clock clock) {
        return new WebhookSubscriptions(subscriptions, clock, Ids::next);
    }

    /** The shared outbox (support), in this service's own database. */
    @Bean
    Outbox outbox(MongoDatabase db, Clock clock) {
        return new Outbox(db, clock);
    }

    @Bean
    WebhookFanout webhookFanout(WebhookSubscriptionRepository subscriptions, Outbox outbox) {
        return new WebhookFanout(subscriptions, outbox);
    }

    /** Delivers webhooks in the background: write first (the fan-out), deliver after (here). */
    @Bean(destroyMethod = "close")
    OutboxDispatcher webhookDispatcher(Outbox outbox, WebhookSubscriptionRepository subscriptions, Clock clock,
                                       io.micrometer.core.instrument.MeterRegistry meters, ReferralsProperties properties) {
        ReferralsProperties.Webhooks w = properties.webhooks();
        OutboxDispatcher d = new OutboxDispatcher(outbox, List.of(new WebhookDelivery(subscriptions, w.deliveryDeadline(), clock)),
                RetryPolicy.defaults(), w.deliveredRetention(), clock, meters);
        if (w.enabled()) {
            d.start(w.pollInterval());
        }
        return d;
    }

    /** Raises overdue events and re-enqueues what a failed request left out, every scan interval. */
    @Bean(destroyMethod = "shutdownNow")
    java.util.concurrent.ScheduledExecutorService webhookScan(WebhookFanout fanout, ReferralRepository referrals,
                                                              TimerPolicy timers, Clock clock, ReferralsProperties properties) {
        ReferralsProperties.Webhooks w = properties.webhooks();
        java.util.concurrent.ScheduledExecutorService s = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "referral-webhook-scan");
            t.setDaemon(true);
            return t;
        });
        if (w.enabled()) {
            s.scheduleWithFixedDelay(() -> {
                try {
                    fanout.scan(referrals, timers, clock.instant().minus(w.scanWindow()), clock);
                } catch (RuntimeException e) {
                    System.getLogger(ReferralsConfiguration.class.getName()).log(System.Logger.Level.WARNING,
                            "webhook scan failed; the next one retries", e);
                }
            }, w.scanInterval().toMillis(), w.scanInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return s;
    }
}
