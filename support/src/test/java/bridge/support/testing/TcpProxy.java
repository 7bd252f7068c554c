package bridge.support.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy for failure drills: a client connects to {@link #port()}, the proxy passes bytes to
 * and from the target. {@link #stop()} is an outage (open connections are cut, new ones refused);
 * {@link #start()} ends it on the same port, so a client can reconnect by itself. The target (for
 * example {@link EmbeddedMongo}) keeps its data across the outage.
 *
 * <p>{@link #hang()} is the other kind of outage, a network partition without resets: connections
 * stay open and new ones are accepted, but no byte gets through in either direction until
 * {@link #resume()}, when what was held back is delivered (as TCP retransmission would).
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private final Object flow = new Object();
    private volatile boolean hung;
    private int port;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts listening (first on a free port, later on the same one); nothing if it listens already. */
    public synchronized TcpProxy start() {
        if (listener != null) {
            return this;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            port = s.getLocalPort();
            listener = s;
            Thread accept = new Thread(() -> accept(s), "tcp-proxy-accept-" + port);
            accept.setDaemon(true);
            accept.start();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port, e);
        }
    }

    /** The partition: connections stay open (and new ones are accepted) but nothing is forwarded. */
    public void hang() {
        hung = true;
    }

    /** Ends {@link #hang()}: bytes held back are delivered and forwarding goes on. */
    public void resume() {
        synchronized (flow) {
            hung = false;
            flow.notifyAll();
        }
    }

    /** While hung, holds the bytes read until the partition ends (or the proxy is stopped). */
    private void awaitFlowing(ServerSocket of) throws IOException {
        synchronized (flow) {
            while (hung) {
                if (listener != of) {
                    throw new IOException("stopped while hung");
                }
                try {
                    flow.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    /** The outage: stops listening (connections are refused) and cuts every open connection. */
    public synchronized void stop() {
        ServerSocket s = listener;
        listener = null;
        closeQuietly(s);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // stopped
            }
            Socket target;
            try {
                target = new Socket(targetHost, targetPort);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            open.add(target);
            if (listener != s) {
                // stopped while connecting: do not let this one through
                closeQuietly(client);
                closeQuietly(target);
                return;
            }
            pump(client, target, s);
            pump(target, client, s);
        }
    }

    private void pump(Socket from, Socket to, ServerSocket of) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitFlowing(of);
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut by stop() or closed by either end
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
