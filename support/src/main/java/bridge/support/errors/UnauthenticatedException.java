package bridge.support.errors;

/** No valid credentials. */
public final class UnauthenticatedException extends BridgeException {

    public UnauthenticatedException(String message) {
        super("UNAUTHENTICATED", message);
    }

    public UnauthenticatedException(String reason, String message) {
        super(reason, message);
    }
}
