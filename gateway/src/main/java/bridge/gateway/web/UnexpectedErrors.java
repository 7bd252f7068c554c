package bridge.gateway.web;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The last resort for anything that escapes the route filter and the security chain: problem+json
 * like every other error, never Spring's default error body. Framework status errors keep their
 * status (a 4xx with its generic reason phrase); anything else is 500 "internal error" with the
 * request id, and the exception goes to the log only.
 */
@Order(-2) // before Spring Boot's default error handler (-1)
public final class UnexpectedErrors implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable e) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(e);
        }
        if (e instanceof ResponseStatusException rse && rse.getStatusCode().value() < 500) {
            HttpStatusCode status = rse.getStatusCode();
            rse.getHeaders().forEach((name, values) -> exchange.getResponse().getHeaders().put(name, values));
            return Problems.write(exchange, status.value(), reason(status.value()), null, List.of());
        }
        log.error("unexpected failure, requestId={}", RequestIdFilter.requestId(exchange), e);
        return Problems.write(exchange, 500, "INTERNAL", "internal error", List.of());
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> "HTTP_" + status;
        };
    }
}
