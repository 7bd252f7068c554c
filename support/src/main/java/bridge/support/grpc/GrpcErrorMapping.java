package bridge.support.grpc;

import bridge.support.errors.AlreadyExistsException;
import bridge.support.errors.BridgeException;
import bridge.support.errors.ConflictException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.UnauthenticatedException;
import bridge.support.errors.UnavailableException;
import bridge.support.mongo.MongoOutages;
import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;

/**
 * Maps the platform's exceptions to gRPC statuses with {@code google.rpc} details: BadRequest field
 * violations for INVALID_ARGUMENT, ErrorInfo (domain, reason) for everything. Anything unexpected
 * becomes INTERNAL with a generic message: the cause is logged with the request id, never sent.
 */
public final class GrpcErrorMapping implements GrpcExceptionHandler {

    public static final String ERROR_DOMAIN = "bridge.platform";
    private static final Logger log = LoggerFactory.getLogger(GrpcErrorMapping.class);

    @Override
    public StatusException handleException(Throwable exception) {
        Throwable e = unwrap(exception);
        if (e instanceof StatusException se) {
            return se;
        }
        if (e instanceof StatusRuntimeException sre) {
            return sre.getStatus().asException(sre.getTrailers());
        }
        if (e instanceof BridgeException be) {
            return toStatus(be);
        }
        if (e instanceof AuthenticationServiceException) {
            // the token could not be checked (no signing keys and the identity provider unreachable): not the
            // caller's fault, and worth a retry — as the gateway answers the same case (503)
            log.warn("token not checkable [requestId={}]: {}", RequestIds.current(), e.toString());
            return status(Code.UNAVAILABLE, "IDENTITY_PROVIDER_UNAVAILABLE",
                    "the caller's token cannot be checked now; retry later", null);
        }
        if (e instanceof AuthenticationException) {
            return status(Code.UNAUTHENTICATED, "UNAUTHENTICATED", "a valid bearer token is required", null);
        }
        if (e instanceof AccessDeniedException) {
            return status(Code.PERMISSION_DENIED, "PERMISSION_DENIED", "access denied", null);
        }
        if (MongoOutages.isOutage(e)) {
            // transient: the caller may retry (writes take an idempotency key or an etag)
            log.warn("database unavailable [requestId={}]: {}", RequestIds.current(), e.toString());
            return status(Code.UNAVAILABLE, "DATABASE_UNAVAILABLE", "the service's database is unavailable; retry later",
                    null);
        }
        log.error("unexpected failure [requestId={}]", RequestIds.current(), e);
        return status(Code.INTERNAL, "INTERNAL", "internal error; quote request id " + RequestIds.current(), null);
    }

    public static StatusException toStatus(BridgeException e) {
        Code code = switch (e) {
            case InvalidArgumentException ignored -> Code.INVALID_ARGUMENT;
            case NotFoundException ignored -> Code.NOT_FOUND;
            case AlreadyExistsException ignored -> Code.ALREADY_EXISTS;
            case PermissionDeniedException ignored -> Code.PERMISSION_DENIED;
            case UnauthenticatedException ignored -> Code.UNAUTHENTICATED;
            case ConflictException ignored -> Code.ABORTED;
            case FailedPreconditionException ignored -> Code.FAILED_PRECONDITION;
            case UnavailableException ignored -> Code.UNAVAILABLE;
            default -> Code.INTERNAL;
        };
        BadRequest badRequest = null;
        if (e instanceof InvalidArgumentException iae) {
            BadRequest.Builder b = BadRequest.newBuilder();
            for (FieldViolation v : iae.violations()) {
                b.addFieldViolationsBuilder().setField(v.field()).setDescription(v.description());
            }
            badRequest = b.build();
        }
        return status(code, e.reason(), e.getMessage(), badRequest);
    }

    private static StatusException status(Code code, String reason, String message, BadRequest badRequest) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message == null ? "" : message)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain(ERROR_DOMAIN).setReason(reason).build()));
        if (badRequest != null) {
            s.addDetails(Any.pack(badRequest));
        }
        return StatusProto.toStatusException(s.build());
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException
                || e instanceof java.lang.reflect.UndeclaredThrowableException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** For tests and callers: the gRPC status code a platform exception maps to. */
    public static Status.Code codeOf(BridgeException e) {
        return toStatus(e).getStatus().getCode();
    }
}
