package bridge.gateway.record;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The in-process gRPC server the composer runs on, and the channel to it that the gateway's route
 * filter calls like any other backend. Not reachable from outside the gateway's JVM: every request
 * has passed the gateway's token check first.
 */
public final class SharedRecordHost implements AutoCloseable {

    /** The contract package this host serves. */
    public static final String PROTO_PACKAGE = "bridge.record.v1";

    private final String name;
    private final Server server;
    private final ManagedChannel channel;

    private SharedRecordHost(String name, Server server, ManagedChannel channel) {
        this.name = name;
        this.server = server;
        this.channel = channel;
    }

    /** Starts the server under a name unique to this gateway instance (in-process names are JVM-wide). */
    public static SharedRecordHost start(BindableService composer) {
        String name = "bridge-shared-record-" + UUID.randomUUID();
        try {
            Server server = InProcessServerBuilder.forName(name)
                    .addService(ServerInterceptors.intercept(composer, new ForwardedCredentials()))
                    .build()
                    .start();
            return new SharedRecordHost(name, server, InProcessChannelBuilder.forName(name).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the shared-record server", e);
        }
    }

    public String name() {
        return name;
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
