package bridge.support.errors;

/**
 * Base of the platform's expected failures. Domain code throws these (plain Java); the gRPC
 * adapter maps each kind to one status with {@code google.rpc} details, and the gateway renders
 * that as RFC 9457 problem+json. The message is safe to show to the caller: it never contains
 * personal data of someone the caller may not see, class names or stack traces.
 */
public abstract class BridgeException extends RuntimeException {

    private final String reason;

    protected BridgeException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Stable, machine-readable reason (google.rpc.ErrorInfo.reason), UPPER_SNAKE_CASE. */
    public String reason() {
        return reason;
    }
}
