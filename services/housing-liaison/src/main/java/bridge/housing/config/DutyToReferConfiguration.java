package bridge.housing.config;

import bridge.support.scheduling.Periodic;
import bridge.housing.domain.DutyToRefer;
import bridge.housing.domain.DutyToReferRepository;
import bridge.housing.domain.HousingAuthorities;
import bridge.housing.partner.DeadLetters;
import bridge.housing.partner.DutyToReferHandler;
import bridge.housing.partner.HousingAuthorityApi;
import bridge.housing.partner.NoticeStatusPoller;
import bridge.housing.partner.OutboxNoticeDeliveries;
import bridge.housing.persistence.MongoDutyToReferRepository;
import bridge.support.consent.ConsentDecisions;
import bridge.support.mongo.Ids;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxDispatcher;
import bridge.support.outbox.OutboxHandler;
import bridge.support.outbox.RetryPolicy;
import bridge.support.partner.PartnerClient;
import bridge.support.partner.PartnerSettings;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Duty to refer: notices written to this service's database, delivered through the shared outbox
 * to the authority's system by the partner client, and their progress polled.
 *
 * <p>Properties: {@code bridge.housing.authorities} (GSS code → name: the authorities this
 * deployment is connected to), {@code bridge.housing.authority-api.base-url},
 * {@code bridge.housing.outbox.poll-interval} (1 s; 0 = no background delivery, tests drive it),
 * {@code bridge.housing.notice-status.poll-interval} (5 min; 0 = no background polling).
 */
@Configuration(proxyBeanMethods = false)
public class DutyToReferConfiguration {

    @Bean
    HousingAuthorities housingAuthorities(Environment environment) {
        Map<String, String> byCode = Binder.get(environment)
                .bind("bridge.housing.authorities", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        return new HousingAuthorities(byCode);
    }

    @Bean
    DutyToReferRepository dutyToReferRepository(MongoDatabase db) {
        return new MongoDutyToReferRepository(db);
    }

    @Bean
    Outbox outbox(MongoDatabase db, Clock clock) {
        return new Outbox(db, clock);
    }

    @Bean
    DutyToRefer dutyToRefer(DutyToReferRepository notices, HousingAuthorities authorities, Outbox outbox,
                            ConsentDecisions decisions, Clock clock,
                            @Value("${bridge.calendar-zone:Europe/London}") String calendarZone) {
        return new DutyToRefer(notices, authorities, new OutboxNoticeDeliveries(outbox), decisions, clock,
                ZoneId.of(calendarZone), Ids::next);
    }

    @Bean(destroyMethod = "close")
    PartnerClient housingAuthorityClient(@Value("${bridge.housing.authority-api.base-url}") String baseUrl,
                                         @Value("${bridge.housing.authority-api.deadline:5s}") Duration deadline,
                                         Clock clock, MeterRegistry meters) {
        return new PartnerClient("housing-authority", PartnerSettings.defaults(URI.create(baseUrl)).withDeadline(deadline),
                clock, meters);
    }

    @Bean
    HousingAuthorityApi housingAuthorityApi(PartnerClient housingAuthorityClient) {
        return new HousingAuthorityApi(housingAuthorityClient);
    }

    @Bean
    DutyToReferHandler dutyToReferHandler(HousingAuthorityApi api, DutyToRefer dutyToRefer) {
        return new DutyToReferHandler(api, dutyToRefer);
    }

    /** Delivered messages are deleted after {@code bridge.housing.outbox.delivered-retention} (7 days; 0 = kept). */
    @Bean(destroyMethod = "close")
    OutboxDispatcher outboxDispatcher(Outbox outbox, List<OutboxHandler> handlers, Clock clock, MeterRegistry meters,
                                      @Value("${bridge.housing.outbox.poll-interval:1s}") Duration pollInterval,
                                      @Value("${bridge.housing.outbox.delivered-retention:7d}") Duration retention) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(outbox, handlers, RetryPolicy.defaults(), retention, clock, meters);
        if (!pollInterval.isZero()) {
            dispatcher.start(pollInterval);
        }
        return dispatcher;
    }

    @Bean
    DeadLetters deadLetters(Outbox outbox, DutyToRefer dutyToRefer) {
        return new DeadLetters(outbox, dutyToRefer);
    }

    @Bean
    NoticeStatusPoller noticeStatusPoller(HousingAuthorityApi api, DutyToReferRepository repository,
                                          DutyToRefer dutyToRefer, Clock clock) {
        return new NoticeStatusPoller(api, repository, dutyToRefer, clock);
    }

    @Bean(destroyMethod = "close")
    Periodic noticeStatusPolling(NoticeStatusPoller poller,
                                 @Value("${bridge.housing.notice-status.poll-interval:5m}") Duration interval) {
        return new Periodic("notice-status-poller", interval, () -> poller.runOnce(100));
    }
}
