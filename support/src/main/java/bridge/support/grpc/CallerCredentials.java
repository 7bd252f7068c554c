package bridge.support.grpc;

import bridge.support.identity.CurrentCaller;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/**
 * The current caller's bearer token and request id, to send on with a call to another service:
 * the callee validates the same token and decides (and audits) for the real user and agency. The
 * request's decision set, if it carried one, travels on too: the callee verifies it against the same
 * token and uses it only if it fits (ADR 0012).
 */
public final class CallerCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private CallerCredentials() {
    }

    /** Read now, on the caller's thread: the security context does not travel to gRPC's executor. */
    public static CallCredentials ofCurrentCaller() {
        String token = CurrentCaller.bearerToken();
        String requestId = RequestIds.current();
        byte[] decisionSet = DecisionSets.current();
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                headers.put(RequestIds.METADATA_KEY, requestId);
                if (decisionSet != null) {
                    headers.put(DecisionSets.METADATA_KEY, decisionSet);
                }
                applier.apply(headers);
            }
        };
    }
}
