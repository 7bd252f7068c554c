package bridge.bench;

import bridge.local.LocalPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The platform process of {@code bin/bench}: the local platform exactly as {@code bin/run-local}
 * starts it (Keycloak as a child process, the file-backed embedded Mongo server, WireMock, the five
 * services and the gateway in this JVM), on free ports and a fresh data directory. When every part
 * is healthy it writes {@code platform.properties} (ports, URLs, pids) into the data directory, for
 * the load-generating process to read, and runs until it is stopped.
 */
public final class BenchPlatform {

    private BenchPlatform() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dataDir);
        // free ports: the benchmark must not collide with a bin/run-local on the same machine
        LocalPlatform platform = LocalPlatform.start(new LocalPlatform.Options(0, 0, 0, 0, 0,
                dataDir.resolve("mongo.mv"), dataDir.resolve("logs")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            stopped.countDown();
        }, "bench-platform-shutdown"));

        Properties p = new Properties();
        p.setProperty("gateway", platform.gatewayUrl());
        p.setProperty("tokenEndpoint", platform.tokenEndpoint());
        p.setProperty("mongoUri", platform.mongoUri());
        for (String s : new String[]{"people-directory", "consent", "referrals", "housing-liaison", "benefits-liaison"}) {
            p.setProperty("grpc." + s, Integer.toString(platform.grpcPort(s)));
        }
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("readyAtMillis", Long.toString(System.currentTimeMillis()));
        // written whole, then moved: the reader never sees half a file
        Path tmp = dataDir.resolve("platform.properties.tmp");
        try (var out = Files.newOutputStream(tmp)) {
            p.store(out, "bin/bench platform");
        } catch (IOException e) {
            platform.close();
            throw e;
        }
        Files.move(tmp, dataDir.resolve("platform.properties"), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("bench platform ready: " + platform.gatewayUrl());
        stopped.await();
    }
}
