package bridge.referrals.config;

import bridge.referrals.api.GrpcLiaisonHandovers;
import bridge.referrals.domain.LiaisonHandovers;
import bridge.support.grpc.ServiceBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clients of housing-liaison and benefits-liaison that referrals are handed over to. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HandoverProperties.class)
public class HandoverConfiguration {

    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean(LiaisonHandovers.class)
    GrpcLiaisonHandovers liaisonHandovers(HandoverProperties props, CircuitBreakerRegistry breakers, RetryRegistry retries) {
        // UNAVAILABLE twice more with backoff: safe, the request_id makes a repeat return the same record
        Retry retry = retries.retry("liaison-handover", RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(50), 2.0))
                .retryOnException(e -> e instanceof StatusRuntimeException sre
                        && sre.getStatus().getCode() == Status.Code.UNAVAILABLE)
                .build());
        return new GrpcLiaisonHandovers(
                ManagedChannelBuilder.forTarget(props.housingTarget()).usePlaintext().build(),
                ManagedChannelBuilder.forTarget(props.benefitsTarget()).usePlaintext().build(),
                props.deadline(), retry, breaker(breakers, "housing-liaison-handover"),
                breaker(breakers, "benefits-liaison-handover"));
    }

    /** As support's service clients (one definition, {@link ServiceBreakers}). */
    private static CircuitBreaker breaker(CircuitBreakerRegistry breakers, String name) {
        return ServiceBreakers.named(breakers, name);
    }
}
