package bridge.referrals.config;

import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayTimers;
import bridge.support.outbox.OutboxDispatcher;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The referral service's own settings.
 *
 * @param timers per pathway, overriding the defaults of {@code TimerPolicy}
 *               ({@code bridge.referrals.timers.DRUG_TEST_ON_ARREST.acknowledge-working-days: 2},
 *               {@code ...first-appointment-days: 14})
 * @param webhooks how webhook deliveries run
 */
@ConfigurationProperties("bridge.referrals")
public record ReferralsProperties(Map<Pathway, Timers> timers, Webhooks webhooks) {

    public ReferralsProperties {
        timers = timers == null ? Map.of() : Map.copyOf(timers);
        webhooks = webhooks == null ? new Webhooks(true, null, null, null, null, null) : webhooks;
    }

    /**
     * @param enabled          run the outbox dispatcher and the scan in this process (off: enqueue only)
     * @param pollInterval     how often the dispatcher looks for due deliveries (default 1 s)
     * @param scanInterval     how often overdue events are raised and missed events re-enqueued (default 1 min)
     * @param scanWindow       how far back the scan looks at changed referrals (default 1 h)
     * @param deliveryDeadline per delivery attempt: connect and answer (default 10 s)
     * @param deliveredRetention how long a delivered webhook stays in the outbox (default 7 days; 0 = kept)
     */
    public record Webhooks(boolean enabled, java.time.Duration pollInterval, java.time.Duration scanInterval,
                           java.time.Duration scanWindow, java.time.Duration deliveryDeadline,
                           java.time.Duration deliveredRetention) {
        public Webhooks {
            pollInterval = pollInterval == null ? java.time.Duration.ofSeconds(1) : pollInterval;
            scanInterval = scanInterval == null ? java.time.Duration.ofMinutes(1) : scanInterval;
            scanWindow = scanWindow == null ? java.time.Duration.ofHours(1) : scanWindow;
            deliveryDeadline = deliveryDeadline == null ? java.time.Duration.ofSeconds(10) : deliveryDeadline;
            deliveredRetention = deliveredRetention == null ? OutboxDispatcher.DEFAULT_RETENTION : deliveredRetention;
        }
    }

    public record Timers(int acknowledgeWorkingDays, int firstAppointmentDays) {
        PathwayTimers toDomain() {
            return new PathwayTimers(acknowledgeWorkingDays, firstAppointmentDays);
        }
    }
}
