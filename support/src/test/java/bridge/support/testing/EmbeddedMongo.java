package bridge.support.testing;

import bridge.support.mongo.Ids;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
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
    private static MongoClient client;

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

    /**
     * A database no other test uses ({@code <prefix>-<random id>}), through one driver client shared by the
     * test JVM (closed at exit): what a repository test needs, without a client and its lifecycle per class.
     */
    public static synchronized MongoDatabase freshDatabase(String prefix) {
        if (client == null) {
            client = MongoClients.create(uri());
            Runtime.getRuntime().addShutdownHook(new Thread(client::close));
        }
        return client.getDatabase(prefix + "-" + Ids.next());
    }
}
