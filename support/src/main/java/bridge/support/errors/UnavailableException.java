package bridge.support.errors;

/** A dependency is down; the caller may retry later. */
public final class UnavailableException extends BridgeException {

    public UnavailableException(String message) {
        super("UNAVAILABLE", message);
    }

    public UnavailableException(String reason, String message) {
        super(reason, message);
    }
}
