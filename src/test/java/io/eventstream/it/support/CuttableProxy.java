package io.eventstream.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of the hub, or of the broker for one node, that a test can break like a network
 * or a restarting node: cut every open connection, answer {@code 503} to new ones for a while, or refuse them.
 */
public final class CuttableProxy implements AutoCloseable {

    private static final byte[] UNAVAILABLE = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 11\r\nConnection: close\r\n\r\nrestarting\n").getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean unavailable;
    private volatile boolean refusing;

    public CuttableProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept", this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection now open, as a network failure would; new connections are accepted. */
    public void cut() {
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
    }

    /** While true, every new connection gets {@code 503} and is closed, like a node that is restarting. */
    public void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /**
     * While true, every new connection is closed at once without a byte, as when the other side is unreachable; for
     * any protocol (a broker link). Set it before {@link #cut}, so that nothing reconnects in between.
     */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** How many connections got {@code 503}. */
    public int refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                } else if (unavailable) {
                    refused.incrementAndGet();
                    daemon("proxy-refuse", () -> refuse(client));
                } else {
                    relay(client);
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void refuse(Socket client) {
        try (client) {
            client.getOutputStream().write(UNAVAILABLE);
            client.shutdownOutput();
            client.getInputStream().readAllBytes(); // let the browser finish its request before the close
        } catch (IOException e) {
            // the browser gave up first
        }
    }

    private void relay(Socket client) {
        Socket hub = new Socket();
        try {
            hub.connect(upstream, 5000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(hub);
            return;
        }
        open.add(client);
        open.add(hub);
        // refuse(true) then cut() may have run while this connection was being made, the cut before it was added:
        // seen here, since refusing is set before the cut.
        if (refusing) {
            closeQuietly(client);
            closeQuietly(hub);
            open.remove(client);
            open.remove(hub);
            return;
        }
        pump(client, hub);
        pump(hub, client);
    }

    private void pump(Socket from, Socket to) {
        daemon("proxy-pump", () -> {
            byte[] buffer = new byte[16384];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // cut or closed by either side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
