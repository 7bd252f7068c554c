package bridge.support.config;

import bridge.support.errors.BridgeException;
import bridge.support.identity.CallerClaims;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The platform's token validation rules, written once for services and gateway alike: RS256 only,
 * signature from the issuer's published keys, {@code iss}, {@code exp}/{@code nbf} (default clock
 * skew), our audience in {@code aud}, and an agency the caller belongs to ({@code agency_id} and a
 * known {@code agency_type}): a token that names no agency is not a Bridge token (UNAUTHENTICATED).
 */
public final class Tokens {

    private Tokens() {
    }

    public static OAuth2TokenValidator<Jwt> validator(SecurityProperties props) {
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
                aud -> aud != null && aud.contains(props.audience()));
        OAuth2TokenValidator<Jwt> agency = Tokens::namesAnAgency;
        return new DelegatingOAuth2TokenValidator<>(List.of(JwtValidators.createDefaultWithIssuer(props.issuer()),
                audience, agency));
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

    /** Lazy: the keys are fetched on first use, so a service can start before Keycloak. */
    public static JwtDecoder decoder(SecurityProperties props) {
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(props.effectiveJwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .build();
            decoder.setJwtValidator(validator(props));
            return decoder;
        });
    }
}
