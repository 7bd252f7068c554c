package bridge.support.errors;

/** The resource does not exist, or the caller may not know that it exists. */
public final class NotFoundException extends BridgeException {

    public NotFoundException(String message) {
        super("NOT_FOUND", message);
    }

    public NotFoundException(String reason, String message) {
        super(reason, message);
    }
}
