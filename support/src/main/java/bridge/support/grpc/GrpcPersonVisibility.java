package bridge.support.grpc;

import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.support.errors.UnavailableException;
import bridge.support.people.PersonVisibility;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;

/**
 * Asks the people directory, as the caller (its token travels on), whether the person is visible.
 * NOT_FOUND and PERMISSION_DENIED mean "not visible"; the directory's own trouble fails closed
 * (UNAVAILABLE), never open. Deadline, retry on UNAVAILABLE, circuit breaker.
 *
 * <p>A request that carries a signed decision set allowing IDENTITY for this caller and person (ADR
 * 0012: every part of a shared record does) needs no call: an allowing IDENTITY decision is what makes a
 * person visible to an agency that did not register them — the directory's own rule.
 */
public final class GrpcPersonVisibility implements DisposableBean, PersonVisibility {

    private final ManagedChannel channel;
    private final Duration deadline;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Predicate<String> shownByCarriedDecisions;

    public GrpcPersonVisibility(ManagedChannel channel, Duration deadline, Retry retry, CircuitBreaker breaker) {
        this(channel, deadline, retry, breaker, personId -> false);
    }

    /** @param shownByCarriedDecisions whether the request's own verified decision set allows IDENTITY for the person */
    public GrpcPersonVisibility(ManagedChannel channel, Duration deadline, Retry retry, CircuitBreaker breaker,
                                Predicate<String> shownByCarriedDecisions) {
        this.channel = channel;
        this.deadline = deadline;
        this.retry = retry;
        this.breaker = breaker;
        this.shownByCarriedDecisions = shownByCarriedDecisions;
    }

    @Override
    public boolean isVisible(String personId) {
        if (shownByCarriedDecisions.test(personId)) {
            return true;
        }
        CallCredentials caller = CallerCredentials.ofCurrentCaller();
        try {
            Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, () ->
                    PeopleDirectoryServiceGrpc.newBlockingStub(channel)
                            .withCallCredentials(caller)
                            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                            .getPerson(GetPersonRequest.newBuilder().setName("people/" + personId).build()))).get();
            return true;
        } catch (CallNotPermittedException e) {
            throw unavailable();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND || code == Status.Code.PERMISSION_DENIED
                    || code == Status.Code.INVALID_ARGUMENT) {
                return false;
            }
            throw unavailable();
        }
    }

    private static UnavailableException unavailable() {
        return new UnavailableException("PEOPLE_DIRECTORY_UNAVAILABLE", "the people directory is unavailable; retry later");
    }

    /** The client owns its channel: closed with the application context. */
    @Override
    public void destroy() {
        channel.shutdownNow();
    }
}
