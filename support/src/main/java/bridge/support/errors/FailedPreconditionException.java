package bridge.support.errors;

/** The resource is not in a state that allows this operation. */
public final class FailedPreconditionException extends BridgeException {

    public FailedPreconditionException(String message) {
        super("FAILED_PRECONDITION", message);
    }

    public FailedPreconditionException(String reason, String message) {
        super(reason, message);
    }
}
