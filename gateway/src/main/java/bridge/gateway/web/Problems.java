package bridge.gateway.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * RFC 9457 problem+json, the gateway's only error shape. gRPC statuses map to HTTP statuses
 * (Google's mapping, except FAILED_PRECONDITION and ABORTED: 409, a state conflict the caller can
 * resolve); google.rpc.BadRequest field violations become {@code errors[]} with the same field
 * names; ErrorInfo.reason becomes {@code reason}. Never a stack trace, never an internal host name.
 */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String TYPE_PREFIX = "https://bridge.example/problems/";
    /**
     * What must never reach a caller from a service's error text: exception class names, stack frames,
     * host:port, IPv4 addresses, cluster-internal host names.
     */
    static final java.util.regex.Pattern LEAK = java.util.regex.Pattern.compile(
            "\\b[\\w$]+(\\.[\\w$]+)+(Exception|Error)\\b|\\.java:\\d+|\\n\\s*at |\\bat [\\w$]+(\\.[\\w$]+){2,}\\("
                    + "|\\b[a-zA-Z][\\w-]*(\\.[\\w-]+)+:\\d{2,5}\\b|\\b\\d{1,3}(\\.\\d{1,3}){3}\\b"
                    + "|\\b[\\w-]+\\.(internal|local|svc|cluster\\.local|lan|corp)\\b");

    public record FieldError(String field, String description) {
    }

    private Problems() {
    }

    public static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }

    public static Mono<Void> fromGrpc(ServerWebExchange exchange, StatusRuntimeException e) {
        Status status = e.getStatus();
        int http = httpStatus(status.getCode());
        String reason = status.getCode().name();
        List<FieldError> errors = List.of();
        com.google.rpc.Status rich = StatusProto.fromStatusAndTrailers(status, e.getTrailers());
        if (rich != null) {
            for (Any any : rich.getDetailsList()) {
                try {
                    if (any.is(ErrorInfo.class)) {
                        reason = any.unpack(ErrorInfo.class).getReason();
                    } else if (any.is(BadRequest.class)) {
                        errors = any.unpack(BadRequest.class).getFieldViolationsList().stream()
                                .map(v -> new FieldError(v.getField(), v.getDescription())).toList();
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // a detail we cannot read is left out, not fatal
                }
            }
        }
        String detail = status.getDescription();
        if (detail != null && LEAK.matcher(detail).find()) {
            // a service's own words are passed on, but not if they look like a stack trace or a host
            detail = "the request was refused (" + status.getCode().name() + ")";
            errors = errors.stream().map(fe -> LEAK.matcher(fe.description()).find()
                    ? new FieldError(fe.field(), "is not valid") : fe).toList();
        }
        if (http >= 500 && http != 503 && http != 504) {
            detail = "internal error";
        } else if (status.getCode() == Status.Code.UNAVAILABLE) {
            detail = "the service is unavailable; retry later";
        } else if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            detail = "the service did not answer in time";
        }
        return write(exchange, http, reason, detail, errors);
    }

    public static Mono<Void> write(ServerWebExchange exchange, int status, String reason, String detail,
            List<FieldError> errors) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        HttpStatus hs = HttpStatus.resolve(status);
        JsonObject problem = new JsonObject();
        problem.addProperty("type", TYPE_PREFIX + reason.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        problem.addProperty("title", hs != null ? hs.getReasonPhrase() : "Error");
        problem.addProperty("status", status);
        if (detail != null && !detail.isBlank()) {
            problem.addProperty("detail", detail);
        }
        problem.addProperty("instance", exchange.getRequest().getPath().value());
        problem.addProperty("reason", reason);
        problem.addProperty("requestId", RequestIdFilter.requestId(exchange));
        if (!errors.isEmpty()) {
            JsonArray list = new JsonArray();
            for (FieldError fe : errors) {
                JsonObject o = new JsonObject();
                o.addProperty("field", fe.field());
                o.addProperty("description", fe.description());
                list.add(o);
            }
            problem.add("errors", list);
        }
        byte[] bytes = problem.toString().getBytes(StandardCharsets.UTF_8);
        response.setRawStatusCode(status);
        response.getHeaders().setContentType(PROBLEM_JSON);
        response.getHeaders().setContentLength(bytes.length);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
