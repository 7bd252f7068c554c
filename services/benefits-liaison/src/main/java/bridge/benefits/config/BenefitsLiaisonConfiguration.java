package bridge.benefits.config;

import bridge.support.scheduling.Periodic;
import bridge.benefits.domain.ClaimPreparationRepository;
import bridge.benefits.domain.ClaimPreparations;
import bridge.benefits.domain.ClaimRepository;
import bridge.benefits.persistence.MongoClaimPreparationRepository;
import java.time.ZoneId;
import bridge.benefits.partner.ClaimSubmissionHandler;
import bridge.benefits.partner.ClaimStatusPoller;
import bridge.benefits.partner.DeadLetters;
import bridge.benefits.partner.DwpClaimsApi;
import bridge.benefits.partner.OutboxClaimSubmissions;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxDispatcher;
import bridge.support.outbox.OutboxHandler;
import bridge.support.outbox.RetryPolicy;
import bridge.support.partner.PartnerClient;
import bridge.support.partner.PartnerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import bridge.benefits.domain.Claims;
import bridge.benefits.persistence.MongoClaimRepository;
import bridge.support.mongo.Ids;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rooms together: the domain knows neither Spring, gRPC nor MongoDB. */
@Configuration(proxyBeanMethods = false)
public class BenefitsLiaisonConfiguration {

    @Bean
    ClaimRepository claimRepository(MongoDatabase db) {
        return new MongoClaimRepository(db);
    }

    @Bean
    Claims claims(ClaimRepository claims, bridge.support.consent.ConsentDecisions decisions, bridge.support.people.PersonVisibility people,
                  Clock clock, Outbox outbox) {
        return new Claims(claims, decisions, people, clock, Ids::next, new OutboxClaimSubmissions(outbox));
    }

    @Bean
    Outbox outbox(MongoDatabase db, Clock clock) {
        return new Outbox(db, clock);
    }

    /** DWP's claims API: {@code bridge.benefits.dwp-api.base-url}, deadline {@code bridge.benefits.dwp-api.deadline} (5 s). */
    @Bean(destroyMethod = "close")
    PartnerClient dwpClient(@Value("${bridge.benefits.dwp-api.base-url}") String baseUrl,
                            @Value("${bridge.benefits.dwp-api.deadline:5s}") Duration deadline, Clock clock, MeterRegistry meters) {
        return new PartnerClient("dwp-claims", PartnerSettings.defaults(URI.create(baseUrl)).withDeadline(deadline), clock, meters);
    }

    @Bean
    DwpClaimsApi dwpClaimsApi(PartnerClient dwpClient) {
        return new DwpClaimsApi(dwpClient);
    }

    @Bean
    ClaimSubmissionHandler claimSubmissionHandler(DwpClaimsApi api, Claims claims) {
        return new ClaimSubmissionHandler(api, claims);
    }

    @Bean
    DeadLetters deadLetters(Outbox outbox) {
        return new DeadLetters(outbox);
    }

    @Bean
    ClaimStatusPoller claimStatusPoller(DwpClaimsApi api, ClaimRepository repository, Claims claims,
                                        ClaimPreparations preparations, Clock clock) {
        return new ClaimStatusPoller(api, repository, claims, preparations, clock);
    }

    /** Polls DWP every {@code bridge.benefits.claim-status.poll-interval} (5 min; 0 = none, tests drive it). */
    @Bean(destroyMethod = "close")
    Periodic claimStatusPolling(ClaimStatusPoller poller,
                                @Value("${bridge.benefits.claim-status.poll-interval:5m}") Duration interval) {
        return new Periodic("claim-status-poller", interval, () -> poller.runOnce(100));
    }

    /**
     * Delivers the outbox every {@code bridge.benefits.outbox.poll-interval} (1 s; 0 = none, tests drive it) and
     * deletes delivered messages after {@code bridge.benefits.outbox.delivered-retention} (7 days; 0 = kept).
     */
    @Bean(destroyMethod = "close")
    OutboxDispatcher outboxDispatcher(Outbox outbox, List<OutboxHandler> handlers, Clock clock, MeterRegistry meters,
                                      @Value("${bridge.benefits.outbox.poll-interval:1s}") Duration pollInterval,
                                      @Value("${bridge.benefits.outbox.delivered-retention:7d}") Duration retention) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(outbox, handlers, RetryPolicy.defaults(), retention, clock, meters);
        if (!pollInterval.isZero()) {
            dispatcher.start(pollInterval);
        }
        return dispatcher;
    }

    @Bean
    ClaimPreparationRepository claimPreparationRepository(MongoDatabase db) {
        return new MongoClaimPreparationRepository(db);
    }

    /**
     * Not ready {@code bridge.benefits.readiness-alert-days} before release is an alert; so is a first
     * payment not expected within {@code bridge.benefits.payment-gap-days} after release.
     */
    @Bean
    ClaimPreparations claimPreparations(ClaimPreparationRepository preparations,
                                        bridge.support.consent.ConsentDecisions decisions,
                                        bridge.support.people.PersonVisibility people, Clock clock,
                                        @Value("${bridge.calendar-zone:Europe/London}") String calendarZone,
                                        @Value("${bridge.benefits.readiness-alert-days:14}") int readinessDays,
                                        @Value("${bridge.benefits.payment-gap-days:14}") int paymentGapDays) {
        return new ClaimPreparations(preparations, decisions, people, clock, ZoneId.of(calendarZone), Ids::next, readinessDays,
                paymentGapDays);
    }
}
