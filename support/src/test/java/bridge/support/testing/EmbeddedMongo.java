package bridge.support.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * The embedded MongoDB wire-protocol server for service tests, reached through the real MongoDB
 * driver (docs/adr/0001). One per test JVM is plenty; each service test uses its own database.
 */
public final class EmbeddedMongo {

    private static MongoServer server;
    private static String uri;

    private EmbeddedMongo() {
    }

    /** The port the server listens on (127.0.0.1), e.g. for a {@link TcpProxy} in front of it. */
    public static synchronized int port() {
        uri();
        return server.getLocalAddress().getPort();
    }

    public static synchronized String uri() {
        if (server == null) {
            server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", 0);
            InetSocketAddress address = server.getLocalAddress();
            uri = "mongodb://127.0.0.1:" + address.getPort();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        }
        return uri;
    }
}
