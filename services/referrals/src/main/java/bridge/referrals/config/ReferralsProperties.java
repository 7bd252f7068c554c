package bridge.referrals.config;

import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayTimers;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The referral service's own settings.
 *
 * @param timers per pathway, overriding the defaults of {@code TimerPolicy}
 *               ({@code bridge.referrals.timers.DRUG_TEST_ON_ARREST.acknowledge-working-days: 2},
 *               {@code ...first-appointment-days: 14})
 */
@ConfigurationProperties("bridge.referrals")
public record ReferralsProperties(Map<Pathway, Timers> timers) {

    public ReferralsProperties {
        timers = timers == null ? Map.of() : Map.copyOf(timers);
    }

    public record Timers(int acknowledgeWorkingDays, int firstAppointmentDays) {
        PathwayTimers toDomain() {
            return new PathwayTimers(acknowledgeWorkingDays, firstAppointmentDays);
        }
    }
}
