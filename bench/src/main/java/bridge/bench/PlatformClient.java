package bridge.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The platform's public surface as a partner sees it: tokens from Keycloak, REST calls through the
 * gateway. Used to seed synthetic data and for the scenarios that are sequences of single calls
 * (withdrawal, audit verification); never for the measured load itself.
 */
public final class PlatformClient {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final String tokenEndpoint;

    public PlatformClient(String gateway, String tokenEndpoint) {
        this.gateway = gateway;
        this.tokenEndpoint = tokenEndpoint;
    }

    String gateway() {
        return gateway;
    }

    /** An agency integrator's access token (client credentials; demo realm secrets). */
    public String integratorToken(String agency) throws IOException, InterruptedException {
        return token(Map.of("grant_type", "client_credentials", "client_id", agency + "-integrator",
                "client_secret", agency + "-integrator-secret"));
    }

    /** A demo user's access token (password grant on the portal client; demo realm only). */
    public String userToken(String username) throws IOException, InterruptedException {
        return token(Map.of("grant_type", "password", "client_id", "bridge-portal", "username", username,
                "password", "bridge-demo"));
    }

    private String token(Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IOException("token endpoint said " + r.statusCode() + ": " + r.body());
        }
        return m.group(1);
    }

    private static final Pattern SERVER_REQUESTS = Pattern.compile(
            "^http_server_requests_seconds_count\\{[^}]*status=\"(\\d+)\"[^}]*} ([0-9.eE+]+)$", Pattern.MULTILINE);

    /**
     * How many requests the gateway has answered, by HTTP status, from its own Prometheus metrics:
     * the difference over a scenario says what the errors were without slowing the load tool down.
     */
    public Map<String, Long> answersByStatus() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return answersByStatus(r.body());
    }

    static Map<String, Long> answersByStatus(String prometheus) {
        Map<String, Long> out = new java.util.TreeMap<>();
        Matcher m = SERVER_REQUESTS.matcher(prometheus);
        while (m.find()) {
            out.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return out;
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST that must succeed; the reply read into {@code into} (unknown fields ignored). */
    <B extends Message.Builder> B create(String path, String token, String json, B into)
            throws IOException, InterruptedException {
        HttpResponse<String> r = post(path, token, json);
        if (r.statusCode() != 200) {
            throw new IOException("POST " + path + " said " + r.statusCode() + ": " + r.body());
        }
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(r.body(), into);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("POST " + path + " answered unreadable JSON: " + r.body(), e);
        }
        return into;
    }
}
