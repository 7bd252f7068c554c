package bridge.support.config;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens that passed full validation, so that the RSA signature check of a token runs
 * once per process instead of on every call that carries it (one shared record brings the same
 * token to a service several times, and a client reuses its token for minutes).
 *
 * <ul>
 *   <li>Keyed by the exact token text: only a byte-identical token — same header, claims and
 *       signature — is ever served from here.</li>
 *   <li>Only successes are kept; a refused token is checked in full again every time.</li>
 *   <li>On every hit the time-based checks ({@code exp}, {@code nbf}) run again, so a token is
 *       refused from the moment it expires, cached or not; an expired entry is dropped.</li>
 *   <li>Bounded: when full, expired entries are swept; if it is still full the new token is simply
 *       not remembered (validated in full on each use) — memory never grows with the number of tokens.</li>
 *   <li>Tokens without {@code exp} are never remembered.</li>
 * </ul>
 */
public final class ValidatedTokenCache implements JwtDecoder {

    private final JwtDecoder delegate;
    private final OAuth2TokenValidator<Jwt> onHit;
    private final int capacity;
    private final Clock clock;
    private final ConcurrentHashMap<String, Jwt> validated = new ConcurrentHashMap<>();

    /**
     * @param delegate full validation (signature, issuer, audience, times, agency)
     * @param onHit    the time-based checks, re-run on each hit
     * @param capacity most tokens remembered at once
     */
    public ValidatedTokenCache(JwtDecoder delegate, OAuth2TokenValidator<Jwt> onHit, int capacity, Clock clock) {
        this.delegate = delegate;
        this.onHit = onHit;
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = validated.get(token);
        if (known != null) {
            if (!onHit.validate(known).hasErrors()) {
                return known;
            }
            // expired (or not yet valid): forget it, and let full validation give the proper refusal
            validated.remove(token, known);
        }
        Jwt jwt = delegate.decode(token);
        remember(token, jwt);
        return jwt;
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
