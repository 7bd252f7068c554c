package bridge.support.partner;

/**
 * What became of one call to a partner system, classified so that a caller (typically an outbox
 * handler) knows what to do next without looking at HTTP details.
 *
 * <ul>
 *   <li>{@link Success}: a 2xx answer whose body the caller's reader accepted.</li>
 *   <li>{@link Retryable}: the partner's trouble, not the request's — connection refused or reset,
 *       no answer within the deadline, 408/425/429/5xx, a 2xx body that cannot be read (a partner
 *       mid-deploy answering garbage is a partner fault; the idempotency key makes a repeat safe),
 *       our breaker open or our bulkhead full. Try again later.</li>
 *   <li>{@link Permanent}: the partner understood and refused (other 4xx). Repeating the same
 *       request cannot succeed: straight to the dead-letter list for an operator.</li>
 * </ul>
 */
public sealed interface PartnerOutcome<T> {

    record Success<T>(int status, T value) implements PartnerOutcome<T> {
    }

    record Retryable<T>(String reason) implements PartnerOutcome<T> {
    }

    record Permanent<T>(int status, String reason) implements PartnerOutcome<T> {
    }

    default boolean isSuccess() {
        return this instanceof Success;
    }
}
