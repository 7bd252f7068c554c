package bridge.support.config;

import bridge.tokens.SigningKeys;
import bridge.support.errors.BridgeException;
import bridge.support.identity.CallerClaims;
import java.time.Clock;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The platform's token validation rules, written once for services and gateway alike: RS256 only,
 * signature from the issuer's published keys, {@code iss}, {@code exp}/{@code nbf} (default clock
 * skew), our audience in {@code aud}, and an agency the caller belongs to ({@code agency_id} and a
 * known {@code agency_type}): a token that names no agency is not a Bridge token (UNAUTHENTICATED).
 *
 * <p>A token that passed is remembered ({@link ValidatedTokenCache}), so its signature is checked
 * once per process; its expiry is checked on every use.
 */
public final class Tokens {

    private Tokens() {
    }

    public static OAuth2TokenValidator<Jwt> validator(SecurityProperties props) {
        return validator(props, Clock.systemUTC());
    }

    public static OAuth2TokenValidator<Jwt> validator(SecurityProperties props, Clock clock) {
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
                aud -> aud != null && aud.contains(props.audience()));
        OAuth2TokenValidator<Jwt> agency = Tokens::namesAnAgency;
        // Spring's defaults (typ, x5t thumbprint) plus ours; our timestamp validator, on the given clock
        return JwtValidators.createDefaultWithValidators(List.of(times(clock), new JwtIssuerValidator(props.issuer()),
                audience, agency));
    }

    /** exp and nbf with the default clock skew (60 s): the checks that can change for the same token. */
    static OAuth2TokenValidator<Jwt> times(Clock clock) {
        JwtTimestampValidator times = new JwtTimestampValidator();
        times.setClock(clock);
        return times;
    }

    /** The same reading of the agency claims as {@link CallerClaims}, so a token that passes here yields a caller. */
    static OAuth2TokenValidatorResult namesAnAgency(Jwt jwt) {
        try {
            CallerClaims.fromJwt(jwt);
            return OAuth2TokenValidatorResult.success();
        } catch (BridgeException e) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                    "the token does not name the caller's agency", null));
        }
    }

    /** Keys are fetched in the background from start-up on, so a service can start before Keycloak. */
    public static JwtDecoder decoder(SecurityProperties props) {
        return decoder(props, Clock.systemUTC());
    }

    public static JwtDecoder decoder(SecurityProperties props, Clock clock) {
        SigningKeys keys = SigningKeys.fromUrl(props.effectiveJwkSetUri(), props.keysRefresh(),
                props.keysRefetchGap(), clock);
        keys.prefetch();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        decoder.setJwtValidator(validator(props, clock));
        return new ValidatedTokenCache(decoder, times(clock), props.tokenCacheSize(), clock);
    }
}
