package bridge.support.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Puts the decision set a call carried (header {@code bridge-decision-set-bin}) in the gRPC context,
 * unverified: {@link GrpcConsentDecisions} verifies it against the caller's own validated token when
 * a decision is needed, and {@link CallerCredentials} sends it on with calls made as the caller.
 */
public final class DecisionSetServerInterceptor implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        byte[] set = headers.get(DecisionSets.METADATA_KEY);
        if (set == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(DecisionSets.CONTEXT_KEY, set), call, headers, next);
    }
}
