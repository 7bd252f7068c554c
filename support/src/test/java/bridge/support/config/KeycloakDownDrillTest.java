package bridge.support.config;

import bridge.tokens.SigningKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.testing.JwtForge;
import bridge.support.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Drill: the identity provider goes down while a service runs. Tokens signed with an already fetched
 * key keep validating from the decoder's key cache — for as long as the outage lasts, not only for
 * the 5 minutes between scheduled refreshes ({@link SigningKeys}); a token with an unknown key is
 * refused (the service answers UNAUTHENTICATED), not an error of another kind.
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

    @Test
    void anOutageOfHoursDoesNotMakeTheServiceRefuseGoodTokens() {
        JwtForge keycloak = new JwtForge("https://keycloak.test.invalid/realms/bridge");
        MutableClock clock = new MutableClock(Instant.now());
        JwtDecoder decoder = Tokens.decoder(new SecurityProperties(keycloak.issuer(), "bridge-api", keycloak.jwkSetUri()),
                clock);
        assertThat(decoder.decode(keycloak.good()).getSubject()).isEqualTo("forged-subject");

        keycloak.close();
        clock.advance(Duration.ofHours(4)); // far past the 5-minute refresh

        // a token issued now (by the same key, e.g. by a Keycloak replica the service cannot reach) still passes
        String fresh = keycloak.with(c -> c.subject("night-shift")
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5)))));
        assertThat(decoder.decode(fresh).getSubject()).isEqualTo("night-shift");
    }
}
