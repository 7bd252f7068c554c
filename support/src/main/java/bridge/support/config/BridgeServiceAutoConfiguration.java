package bridge.support.config;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.grpc.CallAdmission;
import bridge.support.grpc.DecisionSetServerInterceptor;
import bridge.support.grpc.GrpcConsentDecisions;
import bridge.support.grpc.GrpcErrorMapping;
import bridge.support.grpc.GrpcPersonVisibility;
import bridge.support.grpc.GrpcServerThreads;
import bridge.support.grpc.RequestIdServerInterceptor;
import bridge.support.grpc.ServiceBreakers;
import bridge.support.metrics.MetricsEndpoint;
import bridge.support.mongo.MongoProperties;
import bridge.support.mongo.MongoTimeouts;
import bridge.support.people.PersonVisibility;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.grpc.server.security.AuthenticationProcessInterceptor;
import org.springframework.grpc.server.security.GrpcSecurity;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * What every Bridge gRPC service gets by depending on bridge-support: token validation on every
 * call (health checks excepted), error mapping to gRPC statuses with details, request ids in logs,
 * and its own MongoDB database.
 */
@AutoConfiguration(afterName = "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration", beforeName = {
        "org.springframework.boot.grpc.server.autoconfigure.security.GrpcSecurityAutoConfiguration",
        "org.springframework.boot.grpc.server.autoconfigure.security.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnClass(GrpcSecurity.class)
// Off where no gRPC server runs (the gateway, which shares a JVM with the services in the local run).
@ConditionalOnProperty(name = "spring.grpc.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties({SecurityProperties.class, MongoProperties.class, ConsentClientProperties.class,
        PeopleClientProperties.class, GrpcServerProperties.class})
@Import(AuthenticationConfiguration.class)
@PropertySource("classpath:bridge/support/observation-defaults.properties")
public class BridgeServiceAutoConfiguration {

    /**
     * No Spring Security observations (an authentication and an authorization observation around every
     * call): they timed the token check the gRPC observation already includes, at a cost per call
     * close to the check itself once tokens are cached. Failed authentications still show as
     * UNAUTHENTICATED in grpc_server_seconds.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(SecurityProperties props) {
        return Tokens.decoder(props);
    }

    @Bean
    @GlobalServerInterceptor
    @ConditionalOnMissingBean
    AuthenticationProcessInterceptor bridgeGrpcSecurity(GrpcSecurity grpc, JwtDecoder decoder) throws Exception {
        return grpc
                .authorizeRequests(requests -> requests
                        .methods("grpc.health.v1.Health/*").permitAll()
                        .methods("grpc.reflection.v1.ServerReflection/*").permitAll()
                        .allRequests().authenticated())
                .oauth2ResourceServer(rs -> rs.jwt(jwt -> jwt.decoder(decoder)))
                .build();
    }

    /** Outermost: a call over the limit is refused before anything else is spent on it. */
    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE)
    CallAdmission callAdmission(GrpcServerProperties props) {
        return new CallAdmission(props.maxConcurrentCalls());
    }

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    RequestIdServerInterceptor requestIdServerInterceptor() {
        return new RequestIdServerInterceptor();
    }

    /** A fixed pool instead of gRPC's default cached one (a thread per waiting call, without bound). */
    @Bean
    GrpcServerThreads grpcServerThreads(GrpcServerProperties props,
            @Value("${spring.application.name:grpc}") String service) {
        return new GrpcServerThreads(service + "-grpc", props.threads(), props.queue());
    }

    @Bean
    <T extends ServerBuilder<T>> ServerBuilderCustomizer<T> boundedGrpcExecutor(GrpcServerThreads threads) {
        return builder -> builder.executor(threads.executor());
    }

    /** The decision set a request carries, kept for the consent client to verify (ADR 0012). */
    @Bean
    @GlobalServerInterceptor
    DecisionSetServerInterceptor decisionSetServerInterceptor() {
        return new DecisionSetServerInterceptor();
    }

    @Bean
    GrpcExceptionHandler bridgeGrpcErrorMapping() {
        return new GrpcErrorMapping();
    }

    /** Latency histograms for every gRPC method, so dashboards and SLO alerts can compute p99. */
    @Bean
    MeterFilter grpcServerHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith("grpc.server")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }

    /** Prometheus scrape endpoint on its own port (services have no web server). */
    @Bean
    @ConditionalOnProperty(name = "bridge.metrics.port")
    MetricsEndpoint metricsEndpoint(PrometheusMeterRegistry registry,
            @Value("${bridge.metrics.port}") int port, @Value("${bridge.metrics.host:0.0.0.0}") String host) {
        return new MetricsEndpoint(registry, host, port);
    }

    /**
     * The client of the policy decision point, for every service but the consent service itself
     * (which sets bridge.consent.client.enabled=false). It uses a request's signed decision set when
     * one verifies (ADR 0012); the consent service's public keys are fetched from it, refetched for
     * an unknown key id at most every 10 s.
     */
    @Bean
    @ConditionalOnProperty(name = "bridge.consent.client.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    ConsentDecisions consentDecisions(ConsentClientProperties props, CircuitBreakerRegistry breakers,
            RetryRegistry retries, Clock clock, MeterRegistry meters) {
        ManagedChannel channel = serviceChannel(props.target());
        return new GrpcConsentDecisions(channel, props.deadline(), retryUnavailable(retries, "consent-decisions"),
                breaker(breakers, "consent-decisions"),
                GrpcConsentDecisions.keysFrom(channel, props.deadline(), Duration.ofSeconds(10), clock), clock, meters);
    }

    /**
     * Person visibility from the people directory, for every service but the directory itself
     * (which sets bridge.people.directory.client.enabled=false). A request whose decision set allows
     * IDENTITY for the person is answered from it (the directory's rule, without the call).
     */
    @Bean
    @ConditionalOnProperty(name = "bridge.people.directory.client.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    PersonVisibility personVisibility(PeopleClientProperties props, CircuitBreakerRegistry breakers,
            RetryRegistry retries, ObjectProvider<ConsentDecisions> decisions) {
        ManagedChannel channel = serviceChannel(props.target());
        Predicate<String> shown = decisions.getIfAvailable() instanceof GrpcConsentDecisions grpc
                ? personId -> grpc.carriedAllows(personId, DataCategory.IDENTITY, Purpose.DIRECT_SUPPORT)
                : personId -> false;
        return new GrpcPersonVisibility(channel, props.deadline(), retryUnavailable(retries, "person-visibility"),
                breaker(breakers, "person-visibility"), shown);
    }

    /** A stopped database fails requests within bridge.mongodb.server-selection-timeout (2 s) instead of 30 s. */
    @Bean
    MongoTimeouts mongoTimeouts(MongoProperties props) {
        return new MongoTimeouts(props);
    }

    @Bean
    @ConditionalOnBean(MongoClient.class)
    @ConditionalOnMissingBean
    MongoDatabase serviceDatabase(MongoClient client, MongoProperties props) {
        if (props.database() == null || props.database().isBlank()) {
            throw new IllegalStateException("bridge.mongodb.database must name this service's own database");
        }
        return client.getDatabase(props.database());
    }

    /**
     * One long-lived channel per callee (HTTP/2 multiplexes every call over it). gRPC's own retry is
     * off: Resilience4j already retries UNAVAILABLE with backoff (below), and gRPC's retry machinery
     * buffers every outgoing message of every call in case it must replay it — a cost on each call
     * for a second retry layer nobody configured.
     */
    static ManagedChannel serviceChannel(String target) {
        return ManagedChannelBuilder.forTarget(target).usePlaintext().disableRetry().build();
    }

    /**
     * Calls to another service retry UNAVAILABLE twice with exponential backoff (50 ms, 100 ms):
     * the calls guarded here (a decision, a visibility check) are safe to repeat.
     */
    private static Retry retryUnavailable(RetryRegistry retries, String name) {
        return retries.retry(name, RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(50), 2.0))
                .retryOnException(e -> e instanceof StatusRuntimeException sre
                        && sre.getStatus().getCode() == Status.Code.UNAVAILABLE)
                .build());
    }

    private static CircuitBreaker breaker(CircuitBreakerRegistry breakers, String name) {
        return ServiceBreakers.named(breakers, name);
    }
}
