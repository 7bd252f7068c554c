package bridge.support.errors;

/** A resource with the same identity already exists. */
public final class AlreadyExistsException extends BridgeException {

    public AlreadyExistsException(String message) {
        super("ALREADY_EXISTS", message);
    }

    public AlreadyExistsException(String reason, String message) {
        super(reason, message);
    }
}
