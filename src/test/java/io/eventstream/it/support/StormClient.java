package io.eventstream.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A connect storm from one selector thread: opens every connection at once (non-blocking connects, nothing held
 * back), sends each its request, and records how each was answered: a status line with its headers (and, for a
 * response with a {@code Content-Length}, its body), or no answer at all. A stream answered 200 is kept open until
 * {@link #close}, so the server holds every connection it accepted while the others arrive.
 */
public final class StormClient implements AutoCloseable {

    /** How one connection was answered; {@code status} is -1 when no status line came, and {@code failure} says why. */
    public record Answer(int status, Map<String, String> headers, String body, String failure) {

        public boolean answered() {
            return status > 0;
        }

        @Override
        public String toString() {
            return answered() ? status + " " + headers + " " + body : "no answer: " + failure;
        }
    }

    private static final class Conn {
        final SocketChannel socket;
        final ByteBuffer request;
        final ByteBuffer in = ByteBuffer.allocate(8192);
        int headEnd = -1;
        int contentLength = -1;
        Answer answer;

        Conn(SocketChannel socket, byte[] request) {
            this.socket = socket;
            this.request = ByteBuffer.wrap(request);
        }
    }

    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();

    private StormClient() throws IOException {
        this.selector = Selector.open();
    }

    /**
     * Opens one connection to {@code server} per request, all at once, and waits until every one is answered (or
     * failed), or until {@code bound}; returns the answers in the order of the requests.
     */
    public static StormClient storm(InetSocketAddress server, List<byte[]> requests, Duration bound) throws IOException {
        StormClient client = new StormClient();
        client.run(server, requests, bound);
        return client;
    }

    /** The answers, one per request, in order. */
    public List<Answer> answers() {
        return conns.stream().map(c -> c.answer != null ? c.answer : new Answer(-1, Map.of(), "",
                "nothing within the bound (" + (c.headEnd < 0 ? "no status line" : "body incomplete") + ")")).toList();
    }

    private void run(InetSocketAddress server, List<byte[]> requests, Duration bound) throws IOException {
        for (byte[] request : requests) {
            SocketChannel socket = SocketChannel.open();
            Conn c = new Conn(socket, request);
            conns.add(c);
            try {
                socket.configureBlocking(false);
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                boolean connected = socket.connect(server);
                socket.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, c);
            } catch (IOException e) {
                fail(c, "connect: " + e);
            }
        }
        long deadline = System.nanoTime() + bound.toNanos();
        int open = (int) conns.stream().filter(c -> c.answer == null).count();
        while (open > 0 && System.nanoTime() < deadline) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Conn c = (Conn) key.attachment();
                if (!key.isValid() || c.answer != null) {
                    continue;
                }
                try {
                    if (key.isConnectable()) {
                        c.socket.finishConnect();
                        key.interestOps(SelectionKey.OP_WRITE);
                    } else if (key.isWritable()) {
                        c.socket.write(c.request);
                        if (!c.request.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        read(key, c);
                    }
                } catch (IOException e) {
                    fail(c, (c.request.hasRemaining() ? "before the request was sent: " : "before an answer: ") + e);
                }
                if (c.answer != null) {
                    open--;
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private void read(SelectionKey key, Conn c) throws IOException {
        if (!c.in.hasRemaining()) {
            fail(c, "head over " + c.in.capacity() + " bytes");
            return;
        }
        int n = c.socket.read(c.in);
        if (n < 0) {
            fail(c, c.headEnd < 0 ? "closed by the server before a status line" : "closed before the whole body");
            return;
        }
        byte[] bytes = c.in.array();
        int end = c.in.position();
        if (c.headEnd < 0) {
            for (int i = 3; i < end; i++) {
                if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                    c.headEnd = i + 1;
                    break;
                }
            }
            if (c.headEnd < 0) {
                return;
            }
        }
        String head = new String(bytes, 0, c.headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status == 200) {
            c.answer = new Answer(status, headers, "", null);
            key.interestOps(0); // a stream: held open, no need to read it
            return;
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        if (end - c.headEnd < length) {
            return;
        }
        c.answer = new Answer(status, headers, new String(bytes, c.headEnd, length, StandardCharsets.UTF_8), null);
        c.socket.close();
    }

    private static void fail(Conn c, String why) {
        c.answer = new Answer(-1, Map.of(), "", why);
        try {
            c.socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Closes every connection still open. */
    @Override
    public void close() throws IOException {
        for (Conn c : conns) {
            c.socket.close();
        }
        selector.close();
    }
}
