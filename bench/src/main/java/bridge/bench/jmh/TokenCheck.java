package bridge.bench.jmh;

import bridge.support.config.SecurityProperties;
import bridge.support.config.Tokens;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The services' token check ({@link Tokens#decoder}) on a Keycloak-shaped RS256 token (2048-bit key,
 * keys from a JWK set over loopback): in full (signature, issuer, audience, times, agency — the
 * validated-token cache off) and remembered (the same token again: only exp/nbf re-checked). One
 * shared record brings the token to ten checks (gateway, five services, five consent decisions), so
 * the difference times ten is what the cache saves per shared record. Not part of bin/bench's
 * scenarios: after {@code bin/bench} (or its build) has run once,
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main \
 *     bridge.bench.jmh.TokenCheck -f 1 -wi 2 -w 3s -i 3 -r 3s -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenCheck {

    private HttpServer keys;
    private JwtDecoder full;
    private JwtDecoder remembered;
    private String token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("bench-key").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.createContext("/certs", exchange -> {
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        keys.start();
        String issuer = "https://keycloak.bench.invalid/realms/bridge";
        String uri = "http://127.0.0.1:" + keys.getAddress().getPort() + "/certs";
        full = Tokens.decoder(new SecurityProperties(issuer, "bridge-api", uri, null, null, 0));
        remembered = Tokens.decoder(new SecurityProperties(issuer, "bridge-api", uri, null, null, 10_000));
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench-key")
                .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder()
                .issuer(issuer).audience(List.of("bridge-api", "account")).subject("bench-worker")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .claim("azp", "forward-leeds-integrator").claim("agency_id", "forward-leeds")
                .claim("agency_type", "TREATMENT").claim("realm_access", Map.of("roles", List.of("worker")))
                .build());
        jwt.sign(new RSASSASigner(key));
        token = jwt.serialize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        keys.stop(0);
    }

    @Benchmark
    public Object fullCheck() {
        return full.decode(token);
    }

    @Benchmark
    public Object rememberedCheck() {
        return remembered.decode(token);
    }
}
