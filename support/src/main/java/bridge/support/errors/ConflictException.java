package bridge.support.errors;

/** A concurrent change won (etag/version mismatch); re-read and retry. */
public final class ConflictException extends BridgeException {

    public ConflictException(String message) {
        super("ABORTED", message);
    }

    public ConflictException(String reason, String message) {
        super(reason, message);
    }
}
