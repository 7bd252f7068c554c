package bridge.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.identity.CallerClaims;
import bridge.support.testing.JwtForge;
import bridge.support.testing.JwtForge.Attack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The services' token validation ({@link Tokens#decoder}) against a local issuer whose keys are
 * served as a JWK set: a good token passes, and every forgery a token validator must refuse is
 * refused. (Services turn the refusal into UNAUTHENTICATED: see the consent service's gRPC test.)
 */
class TokenAttackTest {

    static final JwtForge forge = new JwtForge("https://keycloak.test.invalid/realms/bridge");
    static final JwtDecoder decoder = Tokens.decoder(
            new SecurityProperties(forge.issuer(), "bridge-api", forge.jwkSetUri()));

    @AfterAll
    static void close() {
        forge.close();
    }

    @Test
    void aGoodTokenPassesAndNamesTheCaller() {
        Jwt jwt = decoder.decode(forge.good());
        assertThat(CallerClaims.fromJwt(jwt).agency()).isEqualTo("met-police");
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void everyForgeryIsRefused(Attack attack) {
        String token = attack.token(forge);
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
    }
}
