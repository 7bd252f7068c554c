package bridge.gateway.config;

import bridge.tokens.RememberedTokens;
import java.time.Clock;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * The gateway's token decoder with a memory of tokens that passed full validation: the signature of
 * a token is checked once per gateway process (the rules are {@link RememberedTokens}', shared with
 * the services).
 */
final class ValidatedTokens implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder delegate;
    private final RememberedTokens remembered;

    ValidatedTokens(ReactiveJwtDecoder delegate, OAuth2TokenValidator<Jwt> onHit, int capacity, Clock clock) {
        this.delegate = delegate;
        this.remembered = new RememberedTokens(onHit, capacity, clock);
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = remembered.recall(token);
        if (known != null) {
            return Mono.just(known);
        }
        return delegate.decode(token).doOnNext(jwt -> remembered.remember(token, jwt));
    }

    int size() {
        return remembered.size();
    }
}
