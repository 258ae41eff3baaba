package io.configstore.testkit.internal;

import io.configstore.testkit.PostgresTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of the test server that a test can cut and restore, to play a network outage without
 * stopping the machine's shared server. While cut, it drops every open connection and closes new ones at once.
 * Point the store under test at {@code 127.0.0.1:}{@link #port()} instead of the server.
 *
 * <pre>{@code
 * try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
 *     // open the store on url, read, then:
 *     proxy.cut();      // the store now sees lost connections
 *     proxy.restore();  // and the server again
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private final Thread acceptor;

    /**
     * A proxy in front of the PostgreSQL test server ({@link PostgresTestServer#URL}), which a test cuts to play an
     * outage; the caller closes it. Here rather than in the kit's {@code PostgresTestServer}, so that the kit's API
     * does not name this helper of configstore's own tests.
     */
    public static TcpProxy toPostgresTestServer() throws IOException {
        URI target = postgresServer();
        return new TcpProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
    }

    /** The JDBC URL that reaches the PostgreSQL test server's database through this proxy. */
    public String postgresUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + postgresServer().getPath();
    }

    private static URI postgresServer() {
        return URI.create(PostgresTestServer.URL.substring("jdbc:".length()));
    }

    /** Starts listening on a free loopback port, forwarding to {@code targetHost:targetPort}. */
    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The loopback port to connect to instead of the target. */
    public int port() {
        return server.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Lets connections through again; clients reconnect on their own. */
    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the connection was cut or closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
