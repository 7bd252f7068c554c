package bridge.gateway.record;

import bridge.gateway.grpc.Backends;
import bridge.gateway.grpc.UnaryCaller;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the shared-record composer on its in-process server and registers that server as the
 * backend of {@code bridge.record.v1}: from then on the route filter serves
 * {@code GET /v1/people/{person}/sharedRecord} (and the OpenAPI document lists it) like any route.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SharedRecordProperties.class)
public class SharedRecordConfiguration {

    @Bean(destroyMethod = "close")
    SharedRecordHost sharedRecordHost(Backends backends, UnaryCaller caller, SharedRecordProperties props,
                                      CircuitBreakerRegistry breakers, MeterRegistry meters) {
        SharedRecordHost host = SharedRecordHost.start(
                new SharedRecordComposer(backends, caller, props.partDeadline(), meters,
                        Backends.logTransitions(breakers.circuitBreaker("decision-sets", Backends.breakerConfig()))));
        // The composer is in the gateway's own process: it is never "down". Its parts go through the
        // breakers of the services they call; a breaker of its own would only count their failures twice.
        CircuitBreaker none = breakers.circuitBreaker("backend-shared-record");
        none.transitionToDisabledState();
        backends.addLocal(SharedRecordHost.PROTO_PACKAGE, "shared-record", host.channel(), none);
        return host;
    }
}
