package bridge.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.testing.JwtForge;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Drill: the identity provider goes down while a service runs. Tokens signed with an already fetched
 * key keep validating from the decoder's JWK cache; a token with an unknown key is refused (the
 * service answers UNAUTHENTICATED), not an error of another kind. The cache lives 5 minutes
 * (Spring Security's default): an outage longer than that makes services refuse every token until
 * the issuer is back (docs/reliability.md).
 */
class KeycloakDownDrillTest {

    @Test
    void cachedKeysKeepValidatingAndUnknownKeysAreRefused() {
        JwtForge keycloak = new JwtForge("https://keycloak.test.invalid/realms/bridge");
        JwtDecoder decoder = Tokens.decoder(new SecurityProperties(keycloak.issuer(), "bridge-api", keycloak.jwkSetUri()));
        String before = keycloak.good();
        assertThat(decoder.decode(before).getSubject()).isEqualTo("forged-subject");

        keycloak.close();

        assertThat(decoder.decode(before).getSubject()).isEqualTo("forged-subject");
        assertThat(decoder.decode(keycloak.with(c -> c.subject("another-worker"))).getSubject())
                .isEqualTo("another-worker");
        String rotated = JwtForge.sign(JwtForge.newKey("rotated-during-outage"), keycloak.goodClaims().build());
        assertThatThrownBy(() -> decoder.decode(rotated)).isInstanceOf(JwtException.class);
    }
}
