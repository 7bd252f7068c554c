package bridge.support.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * What a service's in-process tests put in place of the world outside the service: test tokens
 * instead of Keycloak, and fakes for the consent service and the people directory. Add it to
 * {@code @SpringBootTest(classes = ...)}; autowire the fakes to steer them.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ServiceTestBeans {

    @Bean
    JwtDecoder testJwtDecoder() {
        return TestTokens.decoder();
    }

    @Bean
    FakeConsentDecisions consentDecisions() {
        return new FakeConsentDecisions();
    }

    @Bean
    FakePersonVisibility personVisibility() {
        return new FakePersonVisibility();
    }
}
