package bridge.support.config;

import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
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
 * skew), and our audience in {@code aud}.
 */
public final class Tokens {

    private Tokens() {
    }

    public static OAuth2TokenValidator<Jwt> validator(SecurityProperties props) {
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
                aud -> aud != null && aud.contains(props.audience()));
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(props.issuer()), audience);
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
