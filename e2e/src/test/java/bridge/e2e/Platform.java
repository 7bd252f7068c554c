package bridge.e2e;

import bridge.local.LocalPlatform;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The platform, started once per test JVM (real Keycloak, gateway, five services, embedded Mongo,
 * WireMock) and shared by every end-to-end test class. Tokens come from Keycloak's token endpoint
 * by client credentials (integrators) or password grant (demo users).
 */
final class Platform {

    private static LocalPlatform platform;
    private static final Map<String, String> tokens = new ConcurrentHashMap<>();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Platform() {
    }

    static synchronized LocalPlatform get() {
        if (platform == null) {
            Path logs = Path.of(System.getProperty("bridge.e2e.logs", "target/e2e-logs"));
            platform = LocalPlatform.start(LocalPlatform.Options.forTests(logs));
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
        }
        return platform;
    }

    static String gateway() {
        return get().gatewayUrl();
    }

    /** Access token of an agency's integrator client (client credentials grant). */
    static String integrator(String agency) {
        return tokens.computeIfAbsent("client:" + agency, k -> token(Map.of("grant_type", "client_credentials",
                "client_id", agency + "-integrator", "client_secret", agency + "-integrator-secret")));
    }

    /** Access token of a demo user through the portal client (password grant; demo realm only). */
    static String user(String username) {
        return tokens.computeIfAbsent("user:" + username, k -> token(Map.of("grant_type", "password",
                "client_id", "bridge-portal", "username", username, "password", "bridge-demo")));
    }

    /** A new access token of a demo user, never cached nor presented anywhere before (password grant). */
    static String freshUser(String username) {
        return token(Map.of("grant_type", "password",
                "client_id", "bridge-portal", "username", username, "password", "bridge-demo"));
    }

    private static String token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(get().tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + r.statusCode() + " " + r.body());
        }
        return JsonPath.read(r.body(), "$.access_token");
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway() + path)).timeout(Duration.ofSeconds(15));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    static HttpResponse<String> post(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
