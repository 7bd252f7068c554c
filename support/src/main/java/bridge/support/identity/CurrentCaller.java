package bridge.support.identity;

import bridge.support.errors.UnauthenticatedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The caller of the current gRPC call, as established by Spring gRPC security. */
public final class CurrentCaller {

    private CurrentCaller() {
    }

    public static Caller get() {
        return CallerClaims.fromJwt(token());
    }

    /** The raw bearer token, to carry the caller's identity on to another service. */
    public static String bearerToken() {
        return token().getTokenValue();
    }

    private static Jwt token() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth instanceof JwtAuthenticationToken jwtAuth && jwtAuth.isAuthenticated()) {
            return jwtAuth.getToken();
        }
        throw new UnauthenticatedException("a valid bearer token is required");
    }
}
