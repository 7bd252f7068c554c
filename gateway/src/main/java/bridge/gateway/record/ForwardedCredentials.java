package bridge.gateway.record;

import bridge.gateway.grpc.UnaryCaller;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Puts the caller's {@code authorization} and {@code x-request-id} metadata, as the gateway's route
 * filter sent them, into the gRPC {@link Context}, so that the composer can send them on to every
 * service it asks: each service then decides (and audits) for the real caller.
 */
final class ForwardedCredentials implements ServerInterceptor {

    static final Context.Key<String> AUTHORIZATION = Context.key("bridge-authorization");
    static final Context.Key<String> REQUEST_ID = Context.key("bridge-request-id");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        Context context = Context.current()
                .withValue(AUTHORIZATION, headers.get(UnaryCaller.AUTHORIZATION))
                .withValue(REQUEST_ID, headers.get(UnaryCaller.REQUEST_ID));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
