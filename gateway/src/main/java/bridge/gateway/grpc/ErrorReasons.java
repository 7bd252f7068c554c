package bridge.gateway.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;

/** The machine-readable reason a service gave with a failed call (its {@code ErrorInfo.reason}). */
public final class ErrorReasons {

    /**
     * A service at capacity refused the call before serving it (the services' {@code CallAdmission}):
     * busy, not broken.
     */
    public static final String SERVICE_OVERLOADED = "SERVICE_OVERLOADED";

    private ErrorReasons() {
    }

    /** The reason in the call's trailers, or null when it gave none (or none that can be read). */
    public static String of(Status status, Metadata trailers) {
        if (trailers == null) {
            return null;
        }
        com.google.rpc.Status rich = StatusProto.fromStatusAndTrailers(status, trailers);
        for (Any any : rich.getDetailsList()) {
            if (any.is(ErrorInfo.class)) {
                try {
                    return any.unpack(ErrorInfo.class).getReason();
                } catch (InvalidProtocolBufferException e) {
                    return null;
                }
            }
        }
        return null;
    }

    public static boolean isOverloaded(Status status, Metadata trailers) {
        return status.getCode() == Status.Code.UNAVAILABLE && SERVICE_OVERLOADED.equals(of(status, trailers));
    }
}
