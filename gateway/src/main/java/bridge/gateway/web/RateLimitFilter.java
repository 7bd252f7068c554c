package bridge.gateway.web;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Per-client rate limit, placed in the security chain right after the token is validated: the
 * client is the token's subject (a user, or an integrator's service account), so one agency's
 * runaway integration slows only itself. Over the limit: 429 problem+json with Retry-After.
 * Requests without a valid token never get here as a client (they are refused with 401).
 */
public final class RateLimitFilter implements WebFilter {

    private final ClientRateLimiter limiter;

    public RateLimitFilter(ClientRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(auth -> client(((JwtAuthenticationToken) auth).getToken()))
                .flatMap(client -> {
                    long waitNanos = limiter.acquire(client);
                    if (waitNanos == 0) {
                        return chain.filter(exchange).then(Mono.just(Boolean.TRUE));
                    }
                    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
                    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                    return Problems.write(exchange, 429, "RESOURCE_EXHAUSTED",
                            "too many requests from this client; retry after " + seconds + " s", List.of())
                            .then(Mono.just(Boolean.TRUE));
                })
                .switchIfEmpty(Mono.defer(() -> chain.filter(exchange).then(Mono.just(Boolean.TRUE))))
                .then();
    }

    static String client(Jwt jwt) {
        String subject = jwt.getSubject();
        if (subject != null && !subject.isBlank()) {
            return "sub:" + subject;
        }
        Object azp = jwt.getClaims().get("azp");
        return azp instanceof String s ? "azp:" + s : "unknown";
    }
}
