package bridge.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.ListDecisionKeysRequest;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's breaker for a backend counts the backend's failures, not its refusals at capacity: a
 * service answering SERVICE_OVERLOADED passes 503 on for that call and stays reachable for the next,
 * where before a second of saturation opened the breaker and refused every call for five.
 */
class BackendBreakerTest {

    final AtomicReference<StatusRuntimeException> answer = new AtomicReference<>();
    final UnaryCaller caller = new UnaryCaller();
    final Descriptors.MethodDescriptor method = ListDecisionKeysRequest.getDescriptor().getFile()
            .findServiceByName("ConsentService").findMethodByName("ListDecisionKeys");
    Server server;
    ManagedChannel channel;
    Backends.Backend backend;

    @BeforeEach
    void start() throws Exception {
        String name = "breaker-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).addService(new ConsentServiceGrpc.ConsentServiceImplBase() {
            @Override
            public void listDecisionKeys(ListDecisionKeysRequest request, StreamObserver<ListDecisionKeysResponse> out) {
                StatusRuntimeException e = answer.get();
                if (e != null) {
                    out.onError(e);
                } else {
                    out.onNext(ListDecisionKeysResponse.getDefaultInstance());
                    out.onCompleted();
                }
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        CircuitBreaker breaker = CircuitBreakerRegistry.of(Backends.breakerConfig()).circuitBreaker("backend-test");
        backend = new Backends.Backend("consent", "in-process", channel, breaker);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    Status.Code call() {
        try {
            caller.call(backend, method, DynamicMessage.getDefaultInstance(method.getInputType()), null, "r-1",
                    Duration.ofSeconds(5)).block();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                return sre.getStatus().getCode();
            }
            throw e;
        }
    }

    /** Calls {@code times} times; every call is answered {@code expected}. */
    void callAnswered(int times, Status.Code expected) {
        for (int i = 0; i < times; i++) {
            assertThat(call()).isEqualTo(expected);
        }
    }

    static StatusRuntimeException overloaded() {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(Code.UNAVAILABLE_VALUE)
                .setMessage("the service is at capacity; retry later")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(ErrorReasons.SERVICE_OVERLOADED)
                        .setDomain("bridge.platform").build()))
                .build());
    }

    @Test
    void refusalsAtCapacityPassThroughAndLeaveTheBreakerClosed() {
        answer.set(overloaded());
        callAnswered(50, Status.Code.UNAVAILABLE);
        assertThat(backend.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(backend.breaker().getMetrics().getNumberOfBufferedCalls()).isZero();

        answer.set(null);
        assertThat(call()).isEqualTo(Status.Code.OK);
    }

    @Test
    void aFailingBackendOpensTheBreakerAndIsNotCalledWhileOpen() {
        answer.set(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
        callAnswered(20, Status.Code.UNAVAILABLE);
        assertThat(backend.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        answer.set(null); // healthy again, but the breaker refuses until its open interval ends
        assertThat(call()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aStallThatFailsAFewCallsAmongManyDoesNotOpenIt() {
        callAnswered(60, Status.Code.OK);
        // a GC pause or CPU stall: a burst of calls past their deadline, within the ten-second window
        answer.set(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded").asRuntimeException());
        for (int i = 0; i < 15; i++) {
            call();
        }
        answer.set(null);
        assertThat(backend.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(call()).isEqualTo(Status.Code.OK);
    }

    @Test
    void aCallersMistakeIsNotTheBackendsFailure() {
        answer.set(Status.INVALID_ARGUMENT.withDescription("bad name").asRuntimeException());
        callAnswered(50, Status.Code.INVALID_ARGUMENT);
        assertThat(backend.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
