package bridge.support.grpc;

import io.grpc.Context;
import io.grpc.Metadata;

/**
 * The request id the gateway assigns to every request travels in gRPC metadata
 * ({@code x-request-id}) so logs of every service can be joined to one request.
 */
public final class RequestIds {

    public static final Metadata.Key<String> METADATA_KEY =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    public static final String MDC_KEY = "requestId";
    static final Context.Key<String> CONTEXT_KEY = Context.key("bridge-request-id");

    private RequestIds() {
    }

    /** The current call's request id, or "-" outside a call. */
    public static String current() {
        String id = CONTEXT_KEY.get();
        return id == null ? "-" : id;
    }
}
