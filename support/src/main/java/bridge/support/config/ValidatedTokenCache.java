package bridge.support.config;

import bridge.tokens.RememberedTokens;
import java.time.Clock;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The services' token decoder with a memory of tokens that passed full validation: the signature of
 * a token is checked once per process (the rules are {@link RememberedTokens}', shared with the
 * gateway).
 */
public final class ValidatedTokenCache implements JwtDecoder {

    private final JwtDecoder delegate;
    private final RememberedTokens remembered;

    /**
     * @param delegate full validation (signature, issuer, audience, times, agency)
     * @param onHit    the time-based checks, re-run on each hit
     * @param capacity most tokens remembered at once
     */
    public ValidatedTokenCache(JwtDecoder delegate, OAuth2TokenValidator<Jwt> onHit, int capacity, Clock clock) {
        this.delegate = delegate;
        this.remembered = new RememberedTokens(onHit, capacity, clock);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = remembered.recall(token);
        if (known != null) {
            return known;
        }
        Jwt jwt = delegate.decode(token);
        remembered.remember(token, jwt);
        return jwt;
    }

    int size() {
        return remembered.size();
    }
}
