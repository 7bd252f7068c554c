package bridge.support.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.PermissionDeniedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class CallerClaimsTest {

    private static Jwt.Builder jwt() {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject("user-1")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
    }

    @Test
    void readsAgencyAndRoles() {
        Caller c = CallerClaims.fromJwt(jwt().claim("agency_id", "met-police").claim("agency_type", "POLICE")
                .claim("realm_access", Map.of("roles", List.of("worker", "manager"))).build());
        assertThat(c).isEqualTo(new Caller("user-1", "met-police", AgencyType.POLICE, java.util.Set.of("worker", "manager")));
    }

    @Test
    void acceptsOneElementListsAndPrefixedTypes() {
        Caller c = CallerClaims.fromJwt(jwt().claim("agency_id", List.of("forward-leeds"))
                .claim("agency_type", "AGENCY_TYPE_TREATMENT").build());
        assertThat(c.agency()).isEqualTo("forward-leeds");
        assertThat(c.agencyType()).isEqualTo(AgencyType.TREATMENT);
        assertThat(c.roles()).isEmpty();
    }

    @Test
    void refusesTokensWithoutAnAgency() {
        assertThatThrownBy(() -> CallerClaims.fromJwt(jwt().claim("agency_type", "POLICE").build()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> CallerClaims.fromJwt(jwt().claim("agency_id", "x").build()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> CallerClaims.fromJwt(jwt().claim("agency_id", "x").claim("agency_type", "MI5").build()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> CallerClaims.fromJwt(jwt().claim("agency_id", List.of("a", "b"))
                .claim("agency_type", "POLICE").build()))
                .isInstanceOf(PermissionDeniedException.class);
    }
}
