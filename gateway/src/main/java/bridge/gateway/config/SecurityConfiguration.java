package bridge.gateway.config;

import bridge.tokens.SigningKeys;
import bridge.gateway.web.Problems;
import bridge.proto.common.v1.AgencyType;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import bridge.gateway.web.ClientRateLimiter;
import bridge.gateway.web.RateLimitFilter;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import org.springframework.security.config.observation.SecurityObservationSettings;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Token validation at the front door: RS256 signature from Keycloak's keys, issuer, audience,
 * expiry and not-before, agency claims. Stateless (no session, no request cache): an API gateway keeps nothing between requests.
 * Services validate the same token again (they do not trust the gateway blindly).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(AbuseLimitsProperties.class)
public class SecurityConfiguration {

    /**
     * No Spring Security observations: around every request they added one observation per security
     * filter plus one for authentication and one for authorization — more Micrometer work than the
     * request's own http.server.requests timer, which already measures the whole request, 401s and
     * 403s included (RED per route is kept there).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(GatewayProperties props) {
        return decoder(props, Clock.systemUTC());
    }

    /**
     * Keys from {@link SigningKeys} (kept through an identity-provider outage, refetched for an unknown
     * key id at most once per gap); a token that passed is remembered ({@link ValidatedTokens}), so its
     * signature is checked once, its expiry on every request.
     */
    static ReactiveJwtDecoder decoder(GatewayProperties props, Clock clock) {
        SigningKeys keys = SigningKeys.fromUrl(props.effectiveJwkSetUri(), props.keysRefresh(),
                props.keysRefetchGap(), clock);
        keys.prefetch();
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(jwt -> keysFor(keys, jwt))
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .build();
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
                aud -> aud != null && aud.contains(props.audience()));
        OAuth2TokenValidator<Jwt> agency = SecurityConfiguration::namesAnAgency;
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(
                times(clock), new JwtIssuerValidator(props.issuer()), audience, agency)));
        // Keys that cannot be fetched surface as a bare exception (a 500): make it a JwtException,
        // which Spring Security reports as an authentication service failure (503 below).
        ReactiveJwtDecoder checked = token -> decoder.decode(token).onErrorMap(e -> !(e instanceof JwtException),
                e -> new JwtException("the signing keys cannot be fetched", e));
        return new ValidatedTokens(checked, times(clock), props.tokenCacheSize(), clock);
    }

    /** Off the event loop, as a key fetch may block; only on a token-cache miss, so once per token. */
    private static Flux<JWK> keysFor(SigningKeys keys, SignedJWT jwt) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
        return Mono.fromCallable(() -> keys.get(selector, null))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapIterable(found -> found);
    }

    /** exp and nbf with the default clock skew (60 s): the checks that can change for the same token. */
    static OAuth2TokenValidator<Jwt> times(Clock clock) {
        JwtTimestampValidator times = new JwtTimestampValidator();
        times.setClock(clock);
        return times;
    }

    /**
     * No request is served without a token that names an agency: {@code agency_id} and a known
     * {@code agency_type} (the same reading as the services' CallerClaims: a string or a one-element list).
     */
    static OAuth2TokenValidatorResult namesAnAgency(Jwt jwt) {
        String agency = singleString(jwt.getClaims().get("agency_id"));
        String type = singleString(jwt.getClaims().get("agency_type"));
        boolean known = type != null && AGENCY_TYPES.contains(type.trim().toUpperCase(Locale.ROOT)
                .replace('-', '_').replaceFirst("^AGENCY_TYPE_", ""));
        return agency != null && !agency.isBlank() && known
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "the token does not name the caller's agency", null));
    }

    private static final Set<String> AGENCY_TYPES = Arrays.stream(AgencyType.values())
            .filter(t -> t != AgencyType.UNRECOGNIZED && t != AgencyType.AGENCY_TYPE_UNSPECIFIED)
            .map(t -> t.name().substring("AGENCY_TYPE_".length()))
            .collect(Collectors.toUnmodifiableSet());

    private static String singleString(Object claim) {
        if (claim instanceof String s) {
            return s;
        }
        if (claim instanceof Collection<?> c && c.size() == 1 && c.iterator().next() instanceof String s) {
            return s;
        }
        return null;
    }

    /**
     * Browsers may call from the portals' origins only (configuration, never {@code *}); bearer tokens,
     * no cookies, so no credentials mode. Preflights are answered here, before authentication.
     */
    static CorsConfigurationSource cors(AbuseLimitsProperties limits) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!limits.corsAllowedOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(limits.corsAllowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "PUT", "DELETE"));
            cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Idempotency-Key",
                    "X-Request-Id", HttpHeaders.IF_MATCH));
            cors.setExposedHeaders(List.of("X-Request-Id", HttpHeaders.RETRY_AFTER, HttpHeaders.ETAG,
                    HttpHeaders.WWW_AUTHENTICATE));
            cors.setAllowCredentials(false);
            cors.setMaxAge(Duration.ofMinutes(10));
            source.registerCorsConfiguration("/v1/**", cors);
        }
        return source;
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            AbuseLimitsProperties limits) {
        if (limits.requestsPerSecond() > 0) {
            http.addFilterAfter(new RateLimitFilter(new ClientRateLimiter(limits.requestsPerSecond(), limits.burst(),
                    System::nanoTime)), SecurityWebFiltersOrder.AUTHENTICATION);
        }
        return http
                .cors(c -> c.configurationSource(cors(limits)))
                // an API answers data, never pages: nothing may frame, sniff, cache or refer onwards
                .headers(h -> h
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER))
                        .frameOptions(f -> f.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .hsts(hsts -> hsts.maxAge(Duration.ofDays(365)).includeSubdomains(true)))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(ex -> ex
                        .pathMatchers("/v1/openapi.json", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtDecoder(decoder))
                        .authenticationEntryPoint(SecurityConfiguration::unauthenticated)
                        // the default failure handler rethrows "could not fetch the keys" as a 500
                        .authenticationFailureHandler((webFilterExchange, e) -> e instanceof AuthenticationServiceException
                                ? keysUnavailable(webFilterExchange.getExchange())
                                : unauthenticated(webFilterExchange.getExchange(), e))
                        .accessDeniedHandler((exchange, e) -> Problems.write(exchange, 403, "PERMISSION_DENIED",
                                "access denied", List.of())))
                .build();
    }

    static Mono<Void> unauthenticated(ServerWebExchange exchange, AuthenticationException e) {
        boolean invalid = e instanceof OAuth2AuthenticationException;
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                invalid ? "Bearer error=\"invalid_token\"" : "Bearer");
        return Problems.write(exchange, 401, "UNAUTHENTICATED",
                invalid ? "the bearer token is not valid (signature, issuer, audience or expiry)"
                        : "a bearer token is required", List.of());
    }

    /**
     * The token names a signing key the gateway has not cached and the identity provider cannot be
     * reached to fetch it: the token cannot be checked now, which is the provider's outage, not the
     * caller's mistake — 503 with Retry-After, never a 500.
     */
    static Mono<Void> keysUnavailable(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "10");
        return Problems.write(exchange, 503, "IDENTITY_PROVIDER_UNAVAILABLE",
                "the token's signing key cannot be fetched from the identity provider now; retry later", List.of());
    }
}
