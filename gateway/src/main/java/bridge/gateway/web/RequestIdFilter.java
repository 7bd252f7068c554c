package bridge.gateway.web;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id (the caller's X-Request-Id if it is sane, else a new one), returns it
 * on every response — errors included, since this runs before security — passes it to services in
 * gRPC metadata, and logs one access line with it.
 */
public final class RequestIdFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestIdFilter.class.getName();
    private static final Logger access = LoggerFactory.getLogger("bridge.gateway.access");

    private final boolean accessLog;

    public RequestIdFilter(boolean accessLog) {
        this.accessLog = accessLog;
    }

    public static String requestId(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = sane(exchange.getRequest().getHeaders().getFirst(HEADER));
        exchange.getAttributes().put(ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(HEADER, id);
        if (!accessLog) {
            return chain.filter(exchange);
        }
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            var status = exchange.getResponse().getStatusCode();
            access.info("{} {} {} {}ms requestId={}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), status == null ? "-" : status.value(),
                    (System.nanoTime() - start) / 1_000_000, id);
        });
    }

    /** Accept a caller's id only if short and plain, so it cannot inject into logs or headers. */
    static String sane(String candidate) {
        if (candidate != null && !candidate.isEmpty() && candidate.length() <= 64
                && candidate.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
            return candidate;
        }
        return UUID.randomUUID().toString();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
