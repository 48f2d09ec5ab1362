package io.eventstream.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Many SSE connections on one selector thread: a small HTTP/1.1 reader (plain or chunked bodies) and an SSE line
 * parser that only looks at the start of each {@code data:} line, where the publisher puts run, sequence and send
 * time. Connections come from several loopback source addresses, so 20,000 of them need no more than a few
 * thousand ports per address, and may go to several servers (the nodes of a cluster).
 *
 * <p>Every field below is touched by the selector thread only; other threads go through {@link #call}.
 */
final class SseClient implements AutoCloseable {

    /** Where in the run events with this run id count; other runs' events (warm-up) are counted as stale. */
    private long run = -1;

    private static final int LINE_PREFIX = 160; // enough for data: {"r":..,"s":..,"t":..,"l":..
    /** Connections opened but not yet answered, at most (bench/run: BENCH_IN_FLIGHT, default 256). */
    static int maxInFlight = 256;

    static final class Conn {
        final int id;
        int server; // index into servers; changed only by reopen
        final int channel;
        final boolean slow;
        byte[] request;
        SocketChannel socket;
        ByteBuffer pendingWrite;
        int state; // 0 connecting, 1 reading headers, 2 streaming, 3 closed
        byte[] head = new byte[2048];
        int headLen;
        boolean chunked;
        int chunkState; // 0 size line, 1 data, 2 CRLF after data, 3 trailer (stream over)
        long chunkLeft;
        boolean chunkExt;
        final byte[] line = new byte[LINE_PREFIX];
        int lineLen;
        long statsRun = -1;
        BitSet seen = new BitSet();
        int maxSeq = -1;
        int distinct;
        int dups;
        int firstDupSeq = -1;
        int reordered;
        boolean answered;
        boolean closedByServer;
        boolean tcpConnected; // the TCP handshake completed: a failure after it is a connection closed unanswered
        long openedNanos;
        String failure;
        // The SSE event being read, dispatched at its blank line (so a frame cut off by a closing connection
        // neither counts its data nor moves the resume position): its id, its data's fields, whether it is a reset.
        String pendingId;
        long pendingRun = -1, pendingSeq, pendingDue, pendingLate;
        boolean pendingReset;
        String lastId; // the id of the last event dispatched (stream-open's included): what a resume sends
        int resets; // stream-reset events received over every connection of this subscriber

        Conn(int id, int server, int channel, boolean slow, byte[] request) {
            this.id = id;
            this.server = server;
            this.channel = channel;
            this.slow = slow;
            this.request = request;
        }
    }

    private final Selector selector;
    private final Target target;
    private final List<InetSocketAddress> servers;
    private final List<InetSocketAddress> sources;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(256 * 1024);
    private final List<Conn> conns = new ArrayList<>();
    private final ArrayDeque<Conn> toOpen = new ArrayDeque<>();
    private final LatencyHistogram histogram = new LatencyHistogram(); // from the time each event was due
    private final LatencyHistogram fromSend = new LatencyHistogram(); // from the time it was sent (see Publisher.data)
    private volatile boolean running = true;
    private int inFlight;
    private int nextSource;

    // Counters of the selector thread, read by others through call().
    private int connected;
    private int failed;
    private int closedByServer;
    private long delivered; // distinct in-run events of fast connections
    private long stale;
    private long lastReceiveNanos;
    private int closedAtRunStart;
    private int openAtRunStart;

    // How connects ended, for the connect-storm scenario: answered with a status, or not (see StormFigures).
    private final StormFigures storm = new StormFigures();
    // Open-loop pacing while a storm opens: connection k of it is opened at stormStartNanos + k / stormRate, however
    // many still await an answer (maxInFlight does not apply). Zero when no storm is under way.
    private double stormRate;
    private long stormStartNanos;
    private int stormOpened;

    SseClient(Target target, List<InetSocketAddress> servers, int sourceAddresses) throws IOException {
        this.target = target;
        this.servers = List.copyOf(servers);
        this.sources = new ArrayList<>();
        for (int i = 0; i < sourceAddresses; i++) {
            sources.add(new InetSocketAddress("127.0.0." + (2 + i), 0));
        }
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "sse-client");
        thread.start();
    }

    /** Runs {@code task} on the selector thread and waits for its result. */
    <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return result.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("selector thread did not answer", e);
        }
    }

    /**
     * Opens {@code count} more connections, the {@code i}-th to server {@code serverOf(i)} on channel
     * {@code channelOf(i)}, and waits until each is answered or failed, or until {@code timeoutMillis}; returns the
     * connections answered with 200 in this call.
     */
    /**
     * Appended to each channel name a connection subscribes to: {@code *} makes each subscription the pattern that
     * matches its channel (eventstream's pattern subscriptions), so its deliveries go through the pattern index.
     */
    String subscribeSuffix = "";

    int connect(int count, IntUnaryOperator serverOf, IntUnaryOperator channelOf, IntPredicate slow, long timeoutMillis) {
        int before = call(() -> connected);
        int failedBefore = call(() -> failed);
        call(() -> {
            int base = conns.size();
            for (int i = 0; i < count; i++) {
                int ch = channelOf.applyAsInt(i);
                int server = serverOf.applyAsInt(i);
                InetSocketAddress address = servers.get(server);
                Conn c = new Conn(base + i, server, ch, slow.test(i),
                        target.subscribeRequest(address.getHostString() + ":" + address.getPort(), Bench.channel(ch) + subscribeSuffix));
                conns.add(c);
                toOpen.add(c);
            }
            openSome();
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            int done = call(() -> connected + failed) - before - failedBefore;
            if (done >= count) {
                break;
            }
            sleep(20);
        }
        // Give up on the rest: the caller reports how many connected.
        call(() -> {
            toOpen.clear();
            return null;
        });
        return call(() -> connected) - before;
    }

    /**
     * Closes subscriber {@code c}'s connection if it is open and opens it again to server {@code server}, resuming
     * from its last event id ({@code Last-Event-ID}) when it has one; what it received so far stays counted.
     * Selector thread only (through {@link #call} or {@link #withConnections}).
     */
    void reopen(Conn c, int server) {
        if (c.state == 0 && c.socket == null) {
            toOpen.remove(c); // still waiting to be opened: opened once, to the new server
        }
        if (c.state < 2 && c.head != null && c.socket != null) {
            inFlight--; // it was awaiting an answer
        }
        if (c.socket != null) {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // opening anew anyway
            }
        }
        InetSocketAddress address = servers.get(server);
        c.server = server;
        c.request = target.subscribeRequest(address.getHostString() + ":" + address.getPort(),
                Bench.channel(c.channel) + subscribeSuffix, c.lastId);
        c.socket = null;
        c.pendingWrite = null;
        c.state = 0;
        c.head = new byte[2048];
        c.headLen = 0;
        c.chunked = false;
        c.chunkState = 0;
        c.chunkLeft = 0;
        c.chunkExt = false;
        c.lineLen = 0;
        c.answered = false;
        c.closedByServer = false;
        c.tcpConnected = false;
        c.failure = null;
        clearPending(c);
        toOpen.add(c);
    }

    /** Runs {@code task} with every connection, on the selector thread, and returns its result. */
    <T> T withConnections(java.util.function.Function<List<Conn>, T> task) {
        return call(() -> task.apply(conns));
    }

    /** The latencies (from the due times) recorded since the last call, and starts new histograms. */
    LatencyHistogram takeLatencies() {
        return call(() -> {
            LatencyHistogram out = new LatencyHistogram();
            out.add(histogram);
            histogram.reset();
            fromSend.reset(); // its twin covers the same span
            return out;
        });
    }

    /**
     * A connect storm: opens {@code count} connections at {@code rate} per second, open loop (connection k at k/rate
     * seconds, whatever is still unanswered), and waits until each one is answered or failed, or until
     * {@code timeoutMillis} after the last was opened; returns how they ended. Connections answered 200 stay open.
     */
    StormFigures storm(int count, double rate, IntUnaryOperator channelOf, long timeoutMillis) {
        call(() -> {
            storm.reset();
            stormRate = rate;
            stormStartNanos = System.nanoTime();
            stormOpened = 0;
            for (int i = 0; i < count; i++) {
                int ch = channelOf.applyAsInt(i);
                InetSocketAddress address = servers.get(0);
                Conn c = new Conn(conns.size(), 0, ch, false,
                        target.subscribeRequest(address.getHostString() + ":" + address.getPort(), Bench.channel(ch) + subscribeSuffix));
                conns.add(c);
                toOpen.add(c);
            }
            return null;
        });
        long openedBy = System.nanoTime() + (long) (count / rate * 1e9);
        long deadline = openedBy + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline && call(() -> storm.ended()) < count) {
            sleep(20);
        }
        return call(() -> {
            toOpen.clear();
            stormRate = 0;
            StormFigures f = storm.copy();
            f.offered = count;
            f.opened = stormOpened;
            f.startNanos = stormStartNanos;
            return f;
        });
    }

    /** Starts counting events of run {@code id}; events of other runs are stale from now on. */
    void startRun(long id) {
        call(() -> {
            run = id;
            closedAtRunStart = closedByServer;
            openAtRunStart = connected - closedByServer;
            histogram.reset();
            fromSend.reset();
            delivered = 0;
            lastReceiveNanos = 0;
            return null;
        });
    }

    long delivered() {
        return call(() -> delivered);
    }

    /** Figures of the current run over fast connections, given how many events each channel was sent. */
    RunStats stats(long[] publishedPerChannel) {
        return call(() -> {
            RunStats s = new RunStats();
            for (Conn c : conns) {
                if (c.slow) {
                    s.slowConns++;
                    continue;
                }
                if (!c.answered) {
                    continue; // never connected: counted by the caller
                }
                s.fastConns++;
                long expected = c.channel < publishedPerChannel.length ? publishedPerChannel[c.channel] : 0;
                int got = c.statsRun == run ? c.distinct : 0;
                s.expected += expected;
                s.lost += Math.max(0, expected - got);
                if (c.statsRun == run) {
                    s.dups += c.dups;
                    s.reordered += c.reordered;
                }
            }
            s.closed = closedByServer - closedAtRunStart;
            s.openAtStart = openAtRunStart;
            s.delivered = delivered;
            s.stale = stale;
            s.latencies.add(histogram);
            s.latenciesFromSend.add(fromSend);
            s.lastReceiveNanos = lastReceiveNanos;
            return s;
        });
    }

    /**
     * Waits until every fast subscriber has every event it was sent, or until {@code deadlineNanos}
     * (System.nanoTime), and returns the figures then.
     */
    RunStats awaitDelivered(long[] publishedPerChannel, long deadlineNanos) {
        RunStats s = stats(publishedPerChannel);
        while (s.delivered < s.expected && System.nanoTime() < deadlineNanos) {
            sleep(50);
            s = stats(publishedPerChannel);
        }
        return s;
    }

    /** For each slow connection, reads what it was sent, for up to {@code millis} each: [still open, closed, bytes]. */
    long[] drainSlow(long millis) {
        return call(() -> {
            long open = 0, closed = 0, bytes = 0;
            for (Conn c : conns) {
                if (!c.slow || !c.answered) {
                    continue;
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                boolean eof = c.closedByServer;
                try {
                    int idle = 0;
                    while (!eof && System.nanoTime() < deadline && idle < 50) {
                        readBuffer.clear();
                        int n = c.socket.read(readBuffer);
                        if (n < 0) {
                            eof = true;
                        } else if (n == 0) {
                            idle++;
                            Thread.sleep(1);
                        } else {
                            idle = 0;
                            bytes += n;
                        }
                    }
                } catch (IOException e) {
                    eof = true;
                }
                if (eof) {
                    closed++;
                } else {
                    open++;
                }
            }
            return new long[] {open, closed, bytes};
        });
    }

    /** Connections open now, per server. */
    int[] connectedPerServer() {
        return call(() -> {
            int[] open = new int[servers.size()];
            for (Conn c : conns) {
                if (c.answered && !c.closedByServer) {
                    open[c.server]++;
                }
            }
            return open;
        });
    }

    int connectedCount() {
        return call(() -> connected - closedByServer);
    }

    int failedCount() {
        return call(() -> failed);
    }

    String firstFailure() {
        return call(() -> conns.stream().filter(c -> c.failure != null).map(c -> c.failure).findFirst().orElse(""));
    }

    /** Closes every connection (the server sees them go) and stops the selector thread. */
    @Override
    public void close() {
        call(() -> {
            for (Conn c : conns) {
                closeQuietly(c);
            }
            return null;
        });
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
            selector.close();
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                Runnable command;
                while ((command = commands.poll()) != null) {
                    command.run();
                }
                openSome();
                selector.select(stormRate > 0 && !toOpen.isEmpty() ? 1 : 10);
                var keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    Conn c = (Conn) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    try {
                        if (key.isConnectable()) {
                            finishConnect(key, c);
                        } else {
                            if (key.isWritable()) {
                                writeRequest(key, c);
                            }
                            if (key.isValid() && key.isReadable()) {
                                read(key, c);
                            }
                        }
                    } catch (IOException e) {
                        if (c.state < 2) {
                            storm.unanswered(c, e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                        fail(c, e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                keys.clear();
            } catch (IOException | RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    private void openSome() {
        while (!toOpen.isEmpty()) {
            if (stormRate > 0) {
                long due = (long) ((System.nanoTime() - stormStartNanos) * stormRate / 1e9) + 1;
                if (stormOpened >= due) {
                    break;
                }
                stormOpened++;
            } else if (inFlight >= maxInFlight) {
                break;
            }
            Conn c = toOpen.poll();
            c.openedNanos = System.nanoTime();
            try {
                SocketChannel s = SocketChannel.open();
                c.socket = s;
                s.configureBlocking(false);
                s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (c.slow) {
                    s.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // before connect, so the window stays small
                }
                s.bind(sources.get(nextSource++ % sources.size()));
                inFlight++;
                c.state = 0;
                if (s.connect(servers.get(c.server))) {
                    c.tcpConnected = true;
                    c.pendingWrite = ByteBuffer.wrap(c.request);
                    s.register(selector, SelectionKey.OP_WRITE, c);
                } else {
                    s.register(selector, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                inFlight++;
                storm.unanswered(c, e.getClass().getSimpleName() + ": " + e.getMessage());
                fail(c, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private void finishConnect(SelectionKey key, Conn c) throws IOException {
        c.socket.finishConnect();
        c.tcpConnected = true;
        c.pendingWrite = ByteBuffer.wrap(c.request);
        key.interestOps(SelectionKey.OP_WRITE);
    }

    private void writeRequest(SelectionKey key, Conn c) throws IOException {
        c.socket.write(c.pendingWrite);
        if (!c.pendingWrite.hasRemaining()) {
            c.pendingWrite = null;
            c.state = 1;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read(SelectionKey key, Conn c) throws IOException {
        for (int rounds = 0; rounds < 16; rounds++) {
            readBuffer.clear();
            int n = c.socket.read(readBuffer);
            if (n < 0) {
                serverClosed(c);
                return;
            }
            if (n == 0) {
                return;
            }
            onBytes(c, readBuffer.array(), 0, n);
            if (c.state == 3 || (c.slow && c.state == 2)) {
                if (c.slow && c.state == 2) {
                    key.interestOps(0); // a slow subscriber stops reading once the stream is open
                }
                return;
            }
            if (n < readBuffer.capacity()) {
                return;
            }
        }
    }

    private void onBytes(Conn c, byte[] a, int off, int end) {
        if (c.state == 1) {
            while (off < end && c.state == 1) {
                byte b = a[off++];
                if (c.headLen < c.head.length) {
                    c.head[c.headLen++] = b;
                }
                int n = c.headLen;
                if (b == '\n' && n >= 4 && c.head[n - 2] == '\r' && c.head[n - 3] == '\n' && c.head[n - 4] == '\r') {
                    if (!headers(c)) {
                        return;
                    }
                }
            }
            if (c.state != 2) {
                return;
            }
        }
        if (!c.chunked) {
            sse(c, a, off, end);
            return;
        }
        while (off < end && c.chunkState != 3) {
            switch (c.chunkState) {
                case 0 -> {
                    byte b = a[off++];
                    if (b == '\n') {
                        if (c.chunkLeft == 0) {
                            c.chunkState = 3; // last chunk: the server ended the stream
                        } else {
                            c.chunkState = 1;
                        }
                        c.chunkExt = false;
                    } else if (b == ';') {
                        c.chunkExt = true;
                    } else if (!c.chunkExt && b != '\r') {
                        c.chunkLeft = c.chunkLeft * 16 + Character.digit(b, 16);
                    }
                }
                case 1 -> {
                    int n = (int) Math.min(end - off, c.chunkLeft);
                    sse(c, a, off, off + n);
                    off += n;
                    c.chunkLeft -= n;
                    if (c.chunkLeft == 0) {
                        c.chunkState = 2;
                    }
                }
                case 2 -> {
                    if (a[off++] == '\n') {
                        c.chunkState = 0;
                    }
                }
                default -> off = end;
            }
        }
    }

    private boolean headers(Conn c) {
        String head = new String(c.head, 0, c.headLen, StandardCharsets.ISO_8859_1);
        c.head = null;
        inFlight--;
        int sp = head.indexOf(' ');
        String status = sp > 0 && head.length() >= sp + 4 ? head.substring(sp + 1, sp + 4) : "???";
        storm.answered(c, status, head);
        if (!status.equals("200")) {
            fail(c, "HTTP " + head.lines().findFirst().orElse(""));
            return false;
        }
        c.chunked = head.toLowerCase().contains("\ntransfer-encoding: chunked");
        c.state = 2;
        c.answered = true;
        connected++;
        return true;
    }

    private void sse(Conn c, byte[] a, int off, int end) {
        while (off < end) {
            int nl = off;
            while (nl < end && a[nl] != '\n') {
                nl++;
            }
            int n = Math.min(nl - off, LINE_PREFIX - c.lineLen);
            if (n > 0) {
                System.arraycopy(a, off, c.line, c.lineLen, n);
                c.lineLen += n;
            }
            if (nl == end) {
                return;
            }
            line(c);
            c.lineLen = 0;
            off = nl + 1;
        }
    }

    private void line(Conn c) {
        byte[] l = c.line;
        int len = c.lineLen;
        if (len == 0 || (len == 1 && l[0] == '\r')) {
            dispatch(c);
            return;
        }
        if (startsWith(l, len, "id:")) {
            c.pendingId = new String(l, 3, len - 3, StandardCharsets.UTF_8).strip();
            return;
        }
        if (startsWith(l, len, "event:")) {
            c.pendingReset = new String(l, 6, len - 6, StandardCharsets.UTF_8).strip().equals("stream-reset");
            return;
        }
        if (len < 6 || !startsWith(l, len, "data:")) {
            return;
        }
        long r = field(l, len, (byte) 'r');
        long s = field(l, len, (byte) 's');
        long t = field(l, len, (byte) 't');
        long late = field(l, len, (byte) 'l');
        if (r < 0 || s < 0 || t < 0) {
            return;
        }
        c.pendingRun = r;
        c.pendingSeq = s;
        c.pendingDue = t;
        c.pendingLate = Math.max(0, late); // 0 for data without it (older publishers)
    }

    private static boolean startsWith(byte[] l, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (l[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The blank line that ends an SSE event: the event counts now, and its id becomes the resume position. */
    private void dispatch(Conn c) {
        if (c.pendingId != null) {
            c.lastId = c.pendingId;
        }
        if (c.pendingReset) {
            c.resets++;
        }
        if (c.pendingRun >= 0) {
            received(c, c.pendingRun, c.pendingSeq, c.pendingDue, c.pendingLate);
        }
        clearPending(c);
    }

    private static void clearPending(Conn c) {
        c.pendingId = null;
        c.pendingRun = -1;
        c.pendingReset = false;
    }

    private void received(Conn c, long r, long s, long due, long late) {
        long nowNanos = System.nanoTime();
        if (r != run) {
            stale++;
            return;
        }
        if (c.statsRun != r) {
            c.statsRun = r;
            c.seen.clear();
            c.maxSeq = -1;
            c.distinct = 0;
            c.dups = 0;
            c.firstDupSeq = -1;
            c.reordered = 0;
        }
        int seq = (int) s;
        if (c.seen.get(seq)) {
            c.dups++;
            if (c.firstDupSeq < 0) {
                c.firstDupSeq = seq;
            }
            return;
        }
        c.seen.set(seq);
        c.distinct++;
        if (seq < c.maxSeq) {
            c.reordered++;
        } else {
            c.maxSeq = seq;
        }
        if (!c.slow) {
            long now = Clock.micros(nowNanos);
            histogram.record(now - due);
            fromSend.record(now - due - late);
            delivered++;
            lastReceiveNanos = nowNanos;
        }
    }

    /** The non-negative integer after {@code "name":} in the line, or -1. */
    private static long field(byte[] l, int len, byte name) {
        for (int i = 5; i + 4 < len; i++) {
            if (l[i] == '"' && l[i + 1] == name && l[i + 2] == '"' && l[i + 3] == ':') {
                long v = 0;
                int j = i + 4;
                if (j >= len || l[j] < '0' || l[j] > '9') {
                    return -1;
                }
                while (j < len && l[j] >= '0' && l[j] <= '9') {
                    v = v * 10 + (l[j++] - '0');
                }
                return j < len ? v : -1; // a number cut off by the prefix limit is not trusted
            }
        }
        return -1;
    }

    private void serverClosed(Conn c) {
        if (c.state == 3) {
            return;
        }
        if (c.state < 2) {
            storm.unanswered(c, "closed by the server (EOF) before an answer");
            fail(c, "closed before an answer");
            return;
        }
        c.closedByServer = true;
        closedByServer++;
        closeQuietly(c);
    }

    private void fail(Conn c, String why) {
        if (c.state == 3) {
            return;
        }
        if (c.state < 2) {
            failed++;
            if (c.state <= 1 && c.head != null) {
                inFlight--;
            }
        } else {
            c.closedByServer = true;
            closedByServer++;
        }
        c.failure = why;
        closeQuietly(c);
    }

    private void closeQuietly(Conn c) {
        c.state = 3;
        c.head = null;
        if (c.socket != null) {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
