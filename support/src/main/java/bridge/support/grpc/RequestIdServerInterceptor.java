package bridge.support.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.UUID;
import org.slf4j.MDC;

/** Puts the caller's request id (or a new one) in the gRPC context and in the logging MDC. */
public final class RequestIdServerInterceptor implements ServerInterceptor {

    private static final int MAX_LENGTH = 128;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String id = headers.get(RequestIds.METADATA_KEY);
        if (id == null || id.isBlank() || id.length() > MAX_LENGTH) {
            id = UUID.randomUUID().toString();
        }
        final String requestId = id;
        Context ctx = Context.current().withValue(RequestIds.CONTEXT_KEY, requestId);
        ServerCall.Listener<Q> delegate = Contexts.interceptCall(ctx, call, headers, next);
        return new SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                MDC.put(RequestIds.MDC_KEY, requestId);
                try {
                    super.onMessage(message);
                } finally {
                    MDC.remove(RequestIds.MDC_KEY);
                }
            }

            @Override
            public void onHalfClose() {
                MDC.put(RequestIds.MDC_KEY, requestId);
                try {
                    super.onHalfClose();
                } finally {
                    MDC.remove(RequestIds.MDC_KEY);
                }
            }
        };
    }
}
