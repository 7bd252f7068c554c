package bridge.support.errors;

/** The caller is known but may not do this. */
public final class PermissionDeniedException extends BridgeException {

    public PermissionDeniedException(String message) {
        super("PERMISSION_DENIED", message);
    }

    public PermissionDeniedException(String reason, String message) {
        super(reason, message);
    }
}
