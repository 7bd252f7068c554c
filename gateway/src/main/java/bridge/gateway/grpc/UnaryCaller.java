package bridge.gateway.grpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Calls one unary RPC with a dynamic message, without blocking a thread: the reply completes a
 * Mono. Every call has a deadline and carries the caller's token and the request id.
 */
public final class UnaryCaller {

    private static final Logger log = LoggerFactory.getLogger(UnaryCaller.class);

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * The signed decision set of a shared-record request (ADR 0012), sent on with each of its parts;
     * the same header name as {@code bridge.support.grpc.DecisionSets}.
     */
    public static final Metadata.Key<byte[]> DECISION_SET =
            Metadata.Key.of("bridge-decision-set-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private final Map<String, MethodDescriptor<DynamicMessage, DynamicMessage>> methods = new ConcurrentHashMap<>();

    public Mono<DynamicMessage> call(Backends.Backend backend, Descriptors.MethodDescriptor method,
            DynamicMessage request, String authorization, String requestId, Duration deadline) {
        return call(backend, method, request, authorization, requestId, null, deadline);
    }

    /** @param decisionSet the request's signed decision set, or null to send none */
    public Mono<DynamicMessage> call(Backends.Backend backend, Descriptors.MethodDescriptor method,
            DynamicMessage request, String authorization, String requestId, byte[] decisionSet, Duration deadline) {
        MethodDescriptor<DynamicMessage, DynamicMessage> md = methods.computeIfAbsent(
                method.getService().getFullName() + "/" + method.getName(), name -> descriptor(method, name));
        return Mono.create(sink -> {
            if (!backend.breaker().tryAcquirePermission()) {
                sink.error(Status.UNAVAILABLE.withDescription("the service is unavailable; retry later")
                        .asRuntimeException());
                return;
            }
            long start = System.nanoTime();
            ClientCall<DynamicMessage, DynamicMessage> call = backend.channel()
                    .newCall(md, CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
            Metadata headers = new Metadata();
            if (authorization != null) {
                headers.put(AUTHORIZATION, authorization);
            }
            headers.put(REQUEST_ID, requestId);
            if (decisionSet != null) {
                headers.put(DECISION_SET, decisionSet);
            }
            call.start(new ClientCall.Listener<>() {
                private DynamicMessage reply;

                @Override
                public void onMessage(DynamicMessage message) {
                    reply = message;
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    long took = System.nanoTime() - start;
                    if (ErrorReasons.isOverloaded(status, trailers)) {
                        // busy, not broken: the caller gets 503 for this call, the breaker counts nothing
                        backend.breaker().releasePermission();
                    } else if (isBackendFailure(status.getCode())) {
                        log.warn("backend {} failed {}: {} {} after {} ms (request {})", backend.name(), md.getFullMethodName(),
                                status.getCode(), status.getDescription(), TimeUnit.NANOSECONDS.toMillis(took), requestId);
                        backend.breaker().onError(took, TimeUnit.NANOSECONDS, status.asRuntimeException());
                    } else {
                        backend.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
                    }
                    if (status.isOk() && reply != null) {
                        sink.success(reply);
                    } else if (status.isOk()) {
                        sink.error(Status.INTERNAL.withDescription("no reply").asRuntimeException());
                    } else {
                        sink.error(status.asRuntimeException(trailers));
                    }
                }
            }, headers);
            call.request(2);
            call.sendMessage(request);
            call.halfClose();
            sink.onCancel(() -> call.cancel("client went away", null));
        });
    }

    /** Only the backend's own failures count against its breaker, never the caller's mistakes. */
    static boolean isBackendFailure(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN;
    }

    private static MethodDescriptor<DynamicMessage, DynamicMessage> descriptor(Descriptors.MethodDescriptor m, String name) {
        return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(name)
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
                .build();
    }
}
