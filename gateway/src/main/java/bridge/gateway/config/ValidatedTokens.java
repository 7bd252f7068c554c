package bridge.gateway.config;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembers tokens that passed full validation, so that the RSA signature check of a token runs
 * once per gateway process instead of on every request that carries it (a client reuses its token
 * for minutes). The same rules as the services' {@code bridge.support.config.ValidatedTokenCache}:
 * keyed by the exact token text; only successes kept; {@code exp}/{@code nbf} re-checked on every
 * hit (an expired entry is dropped and the token goes through full validation, which refuses it);
 * bounded (expired entries swept when full; if still full the token is just not remembered);
 * tokens without {@code exp} never remembered.
 */
final class ValidatedTokens implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder delegate;
    private final OAuth2TokenValidator<Jwt> onHit;
    private final int capacity;
    private final Clock clock;
    private final ConcurrentHashMap<String, Jwt> validated = new ConcurrentHashMap<>();

    ValidatedTokens(ReactiveJwtDecoder delegate, OAuth2TokenValidator<Jwt> onHit, int capacity, Clock clock) {
        this.delegate = delegate;
        this.onHit = onHit;
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = validated.get(token);
        if (known != null) {
            if (!onHit.validate(known).hasErrors()) {
                return Mono.just(known);
            }
            validated.remove(token, known);
        }
        return delegate.decode(token).doOnNext(jwt -> remember(token, jwt));
    }

    int size() {
        return validated.size();
    }

    private void remember(String token, Jwt jwt) {
        if (jwt.getExpiresAt() == null || capacity <= 0) {
            return;
        }
        if (validated.size() >= capacity) {
            Instant now = clock.instant();
            validated.values().removeIf(j -> j.getExpiresAt().isBefore(now));
            if (validated.size() >= capacity) {
                return;
            }
        }
        validated.putIfAbsent(token, jwt);
    }
}
