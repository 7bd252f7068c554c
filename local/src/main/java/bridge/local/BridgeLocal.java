package bridge.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/run-local}: starts the platform, prints how to use it, runs until Ctrl-C, then stops
 * everything it started (Keycloak's process tree included).
 */
public final class BridgeLocal {

    private BridgeLocal() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Path dataDir = Path.of(System.getProperty("bridge.data.dir", ".bridge")).toAbsolutePath();
        Files.createDirectories(dataDir);
        LocalPlatform platform = LocalPlatform.start(LocalPlatform.Options.forLocalRun(dataDir));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Bridge ...");
            platform.close();
            stopped.countDown();
        }, "bridge-shutdown"));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        String gw = platform.gatewayUrl();
        String token = platform.tokenEndpoint();
        System.out.printf("""

                ================================================================================
                 Bridge is running (ready in %d s). Ctrl-C stops everything.

                 Gateway          %s        (OpenAPI: %s/v1/openapi.json)
                 Keycloak         %s   (realm "bridge")
                 MongoDB (embedded, file %s)  %s
                 Partner stubs (WireMock)  %s
                 Logs             %s

                 Token for an integrator (client credentials), agency hmp-leeds (PRISON):
                   TOKEN=$(curl -s %s \\
                     -d grant_type=client_credentials -d client_id=hmp-leeds-integrator \\
                     -d client_secret=hmp-leeds-integrator-secret | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')

                 Token for a demo user (password grant on the portal client; every demo password is bridge-demo):
                   curl -s %s -d grant_type=password -d client_id=bridge-portal \\
                     -d username=forward-leeds-worker -d password=bridge-demo

                 Register a person, then read it back:
                   curl -s -X POST %s/v1/people -H "Authorization: Bearer $TOKEN" \\
                     -H 'Content-Type: application/json' -H 'Idempotency-Key: demo-1' \\
                     -d '{"preferredName":{"givenNames":"Alex","familyName":"Morgan"},
                          "dateOfBirth":{"year":1988,"month":4,"day":12},
                          "identifiers":[{"type":"IDENTIFIER_TYPE_NHS_NUMBER","value":"943 476 5919"}]}'
                   curl -s %s/v1/people/<id from the reply> -H "Authorization: Bearer $TOKEN"
                ================================================================================
                %n""", took.toSeconds(), gw, gw, platform.issuer(), dataDir.resolve("mongo.mv"), platform.mongoUri(),
                platform.wiremockUrl(), dataDir.resolve("logs"), token, token, gw, gw);
        stopped.await();
    }
}
