package bridge.local;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * The file-backed embedded Mongo server alone in its own JVM, as a database runs beside a cluster:
 * {@code bin/soak} starts it first and the platform with {@value LocalPlatform#EXTERNAL_MONGO_URI},
 * so that the platform's heap after a full GC measures the gateway and the services, not the
 * database's page cache filling with the data the soak writes.
 *
 * <p>Arguments: the store file, and a file to write {@code uri} and {@code pid} to (written whole,
 * then moved) once it listens. Runs until stopped; the store is closed (flushed) on the way out.
 */
public final class MongoServerProcess {

    private MongoServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]).toAbsolutePath();
        Path ready = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(store.getParent());
        MongoServer server = new MongoServer(new H2Backend(store.toString()));
        server.bind("127.0.0.1", 0);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            stopped.countDown();
        }, "mongo-server-shutdown"));
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, "uri=mongodb://127.0.0.1:" + server.getLocalAddress().getPort() + "\n"
                + "pid=" + ProcessHandle.current().pid() + "\n");
        Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
        stopped.await();
    }
}
