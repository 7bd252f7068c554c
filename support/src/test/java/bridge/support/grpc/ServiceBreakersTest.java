package bridge.support.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The breaker in front of a called service: a callee at capacity neither opens it nor counts as a
 * success; a callee failing opens it; a caller's own mistake never does.
 */
class ServiceBreakersTest {

    final CircuitBreaker breaker = ServiceBreakers.named(CircuitBreakerRegistry.ofDefaults(), "callee");

    void failWith(StatusRuntimeException e, int times) {
        Supplier<String> call = CircuitBreaker.decorateSupplier(breaker, () -> {
            throw e;
        });
        for (int i = 0; i < times; i++) {
            assertThatThrownBy(call::get).isInstanceOf(StatusRuntimeException.class);
        }
    }

    @Test
    void aCalleeAtCapacityDoesNotOpenTheBreaker() {
        failWith(CallAdmission.refusal(), 50);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    @Test
    void aFailingCalleeOpensIt() {
        failWith(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException(), 10);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aCallersMistakeNeverOpensIt() {
        failWith(Status.INVALID_ARGUMENT.withDescription("bad name").asRuntimeException(), 50);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void overloadIsRecognisedOnlyByItsReason() {
        assertThat(CallAdmission.isOverloaded(CallAdmission.refusal())).isTrue();
        assertThat(CallAdmission.isOverloaded(Status.UNAVAILABLE.asRuntimeException())).isFalse();
        assertThat(CallAdmission.isOverloaded(new IllegalStateException())).isFalse();
    }
}
