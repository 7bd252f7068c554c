package bridge.support.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code limit} calls of a service are served at once; one more is answered UNAVAILABLE
 * ({@code SERVICE_OVERLOADED}) at once, before its token is checked or its handler runs, instead of
 * waiting in a queue behind calls that may themselves be waiting on a slow database. The caller
 * retries with backoff or fails over (the gateway answers 503). Health checks are always served:
 * an overloaded service is busy, not dead.
 */
public final class CallAdmission implements ServerInterceptor {

    static final String REASON = "SERVICE_OVERLOADED";

    /**
     * Whether a call was refused by a callee at capacity. Such a refusal says the service is busy, not
     * broken: a caller's circuit breaker must not count it, or a few seconds of saturation would open the
     * breaker and fail every call for its whole open interval (what the soak at 100 req/s showed).
     */
    public static boolean isOverloaded(Status status, Metadata trailers) {
        if (status.getCode() != Status.Code.UNAVAILABLE || trailers == null) {
            return false;
        }
        com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
        for (Any d : details.getDetailsList()) {
            if (d.is(ErrorInfo.class)) {
                try {
                    if (REASON.equals(d.unpack(ErrorInfo.class).getReason())) {
                        return true;
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** What a call over the limit is answered. */
    public static io.grpc.StatusRuntimeException refusal() {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(Code.UNAVAILABLE_VALUE)
                .setMessage("the service is at capacity; retry later")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(REASON).setDomain("bridge.platform").build()))
                .build());
    }

    /** {@link #isOverloaded(Status, Metadata)} for a call's exception. */
    public static boolean isOverloaded(Throwable e) {
        return e instanceof io.grpc.StatusRuntimeException sre && isOverloaded(sre.getStatus(), sre.getTrailers());
    }

    private final Semaphore permits;
    private final int limit;

    public CallAdmission(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit of concurrent calls must be at least 1");
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Calls being served now. */
    public int inFlight() {
        return limit - permits.availablePermits();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getServiceName() != null
                && call.getMethodDescriptor().getServiceName().startsWith("grpc.health.")) {
            return next.startCall(call, headers);
        }
        if (!permits.tryAcquire()) {
            io.grpc.StatusRuntimeException refused = refusal();
            call.close(refused.getStatus(), refused.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
        ServerCall<Q, R> releasing = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                release.run();
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(releasing, headers);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                release.run();
                super.onCancel();
            }

            @Override
            public void onComplete() {
                release.run();
                super.onComplete();
            }
        };
    }
}
