package bridge.tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Tokens that passed full validation, so that the RSA signature check of a token runs once per
 * process instead of on every call that carries it (one shared record brings the same token to a
 * service several times, and a client reuses its token for minutes). The services' blocking decoder
 * (support) and the gateway's reactive one wrap this.
 *
 * <ul>
 *   <li>Keyed by the exact token text: only a byte-identical token — same header, claims and
 *       signature — is ever served from here.</li>
 *   <li>Only successes are remembered; a refused token is checked in full again every time.</li>
 *   <li>On every recall the time-based checks ({@code exp}, {@code nbf}) run again, so a token is
 *       refused from the moment it expires, remembered or not; an expired entry is dropped.</li>
 *   <li>Bounded: when full, expired entries are swept; if it is still full the new token is simply
 *       not remembered (validated in full on each use) — memory never grows with the number of tokens.</li>
 *   <li>Tokens without {@code exp} are never remembered.</li>
 * </ul>
 */
public final class RememberedTokens {

    private final OAuth2TokenValidator<Jwt> onRecall;
    private final int capacity;
    private final Clock clock;
    private final ConcurrentHashMap<String, Jwt> validated = new ConcurrentHashMap<>();

    /**
     * @param onRecall the time-based checks, re-run on each recall
     * @param capacity most tokens remembered at once
     */
    public RememberedTokens(OAuth2TokenValidator<Jwt> onRecall, int capacity, Clock clock) {
        this.onRecall = onRecall;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** The token's validated form if it passed before and is still within its times; otherwise null. */
    public Jwt recall(String token) {
        Jwt known = validated.get(token);
        if (known == null) {
            return null;
        }
        if (!onRecall.validate(known).hasErrors()) {
            return known;
        }
        // expired (or not yet valid): forget it, and let full validation give the proper refusal
        validated.remove(token, known);
        return null;
    }

    /** Call only with the result of a full, successful validation of exactly this token text. */
    public void remember(String token, Jwt jwt) {
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

    public int size() {
        return validated.size();
    }
}
