package io.eventstream.it.support;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SSE client: HTTP/1.1 on a plain socket, parsing the stream as a browser's EventSource does
 * (fields, multi-line data, comments), so the tests see exactly the bytes the server wrote and can drop
 * the connection abruptly.
 */
public final class SseClient implements AutoCloseable {

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final String errorBody;
    private volatile boolean ended;

    private SseClient(Socket socket) throws IOException {
        this.socket = socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        this.status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> read = new HashMap<>();
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            read.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        this.headers = read;
        InputStream body = "chunked".equalsIgnoreCase(read.get("transfer-encoding")) ? new ChunkedInput(in) : in;
        if (status == 200) {
            Thread reader = new Thread(() -> read(body), "sse-client");
            reader.setDaemon(true);
            reader.start();
            errorBody = null;
        } else {
            errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            socket.close();
        }
    }

    public static SseClient open(URI uri) throws IOException {
        return open(uri, Map.of());
    }

    /** Opens a GET on a plain socket: closing it is an abrupt disconnect, exactly as a browser tab closing. */
    public static SseClient open(URI uri, Map<String, String> extraHeaders) throws IOException {
        return open(uri, extraHeaders, null);
    }

    /**
     * As above, from {@code local} (another loopback address, such as {@code 127.0.0.2}, is another client to the
     * server), or from wherever the system chooses when null.
     */
    public static SseClient open(URI uri, Map<String, String> extraHeaders, InetAddress local) throws IOException {
        Socket socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.setSoTimeout(30_000);
        StringBuilder request = new StringBuilder("GET " + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Connection: close\r\n");
        extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new SseClient(socket);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return b == -1 && line.length() == 0 ? null : line.toString();
    }

    /** Decodes a chunked body, ending at the last chunk. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size != null && size.isEmpty()) {
                    size = line(in); // the CRLF that ends the previous chunk
                }
                if (size == null) {
                    done = true;
                    return -1;
                }
                left = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, Math.min(length, left));
            if (read < 0) {
                done = true;
                return -1;
            }
            left -= read;
            return read;
        }
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String errorBody() {
        return errorBody;
    }

    public int comments() {
        return comments.get();
    }

    public boolean ended() {
        return ended;
    }

    /** Waits until the server ends the stream, or fails. */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the stream did not end within " + timeout);
            }
            Thread.sleep(50); // the reader thread flags the end; nothing to wait on
        }
    }

    /** The next event, or an assertion failure naming what was expected when none arrives in time. */
    public SseEvent next(Duration timeout) throws InterruptedException {
        SseEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return event;
    }

    /** The next event, or null when none arrives in time or the stream ended with nothing left to read. */
    public SseEvent poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean over = ended; // read first: whatever arrived before the end is still found below
            long slice = Math.min(TimeUnit.MILLISECONDS.toNanos(100), Math.max(0, deadline - System.nanoTime()));
            SseEvent event = events.poll(slice, TimeUnit.NANOSECONDS);
            if (event != null) {
                return event;
            }
            if (over || System.nanoTime() >= deadline) {
                return null;
            }
        }
    }

    /** The next {@code count} events, failing when they do not all arrive before the deadline. */
    public List<SseEvent> take(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SseEvent> taken = new ArrayList<>(count);
        while (taken.size() < count) {
            SseEvent event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("got " + taken.size() + " of " + count + " events within " + timeout);
            }
            taken.add(event);
        }
        return taken;
    }

    /** Events that arrive within {@code quiet}; for asserting that nothing (more) comes. */
    public List<SseEvent> drain(Duration quiet) throws InterruptedException {
        List<SseEvent> rest = new ArrayList<>();
        SseEvent event;
        while ((event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            rest.add(event);
        }
        return rest;
    }

    private void read(InputStream body) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            Long retry = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new SseEvent(id, event == null ? "message" : event, data.toString(), retry));
                    }
                    id = null;
                    event = null;
                    data = null;
                    retry = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.incrementAndGet();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "retry" -> retry = Long.valueOf(value);
                    default -> { }
                }
            }
        } catch (IOException e) {
            // The connection closed: the test asked for it, or the server ended the stream.
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
