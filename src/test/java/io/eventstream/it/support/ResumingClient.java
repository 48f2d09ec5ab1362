package io.eventstream.it.support;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client that behaves as {@code eventstream.js} does: whenever its stream ends, or a connection is refused or
 * answered with anything but {@code 200} (a node restarting, nginx's {@code 502}), it reconnects with the id of the
 * last event it got ({@code stream-open}'s included, as a browser keeps it), until closed. It records every message,
 * every {@code stream-reset}, and any stream that does not begin with {@code stream-open}.
 *
 * <p>One thread per client makes the connections and records; the test's thread reads the records through the
 * synchronized methods, and waits on the client's monitor, which every record notifies.
 */
public final class ResumingClient implements AutoCloseable {

    private static final Duration RECONNECT_DELAY = Duration.ofMillis(200);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String name;
    private final URI uri;
    private final Thread thread;
    private final List<SseEvent> messages = new ArrayList<>(); // guarded by this, as every field below but the volatiles
    private final Set<String> data = new HashSet<>();
    private final List<String> resets = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Integer> refusals = new TreeMap<>();
    // Per stream, the Last-Event-ID it was opened with and the first event id it got after stream-open: what a lost
    // or repeated event is traced back with.
    private final List<String> joins = new ArrayList<>();
    private int streams;
    private String position;
    private volatile SseClient current;
    private volatile boolean closed;

    private ResumingClient(String name, URI uri, String lastEventId) {
        this.name = name;
        this.uri = uri;
        this.position = lastEventId;
        this.thread = new Thread(this::run, "resuming-client-" + name);
        thread.setDaemon(true);
    }

    /** Starts a client of these channels on {@code hub}; with a {@code lastEventId}, its first connection resumes too. */
    public static ResumingClient start(String name, Hub hub, String lastEventId, String... channels) {
        ResumingClient client = new ResumingClient(name, hub.channels(channels), lastEventId);
        client.thread.start();
        return client;
    }

    private void run() {
        while (!closed) {
            String from;
            synchronized (this) {
                from = position;
            }
            try (SseClient client = SseClient.open(uri, from == null ? Map.of() : Map.of("Last-Event-ID", from))) {
                current = client;
                if (client.status() != 200) {
                    refused(client.status() + " " + client.errorBody());
                } else {
                    read(client, from);
                }
            } catch (IOException e) {
                refused(e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                pause();
            }
        }
    }

    // One stream, to its end.
    private void read(SseClient client, String from) throws InterruptedException {
        boolean first = true;
        boolean joined = false;
        while (!closed) {
            SseEvent event = client.poll(POLL);
            if (event == null) {
                if (client.ended()) {
                    return; // poll found nothing left after the end
                }
                continue;
            }
            record(event, first);
            first = false;
            if (!joined && event.id() != null && !"stream-open".equals(event.event())) {
                joined = true;
                joined(from, event.id());
            }
        }
    }

    private synchronized void record(SseEvent event, boolean first) {
        if (first) {
            streams++;
            if (!"stream-open".equals(event.event())) {
                problems.add("stream " + streams + " began with " + event + ", not stream-open");
            }
        }
        switch (event.event()) {
            case "stream-open" -> {
                if (!first) {
                    problems.add("stream " + streams + " had a second stream-open: " + event);
                }
            }
            case "stream-reset" -> resets.add(event.data());
            case "stream-error" -> problems.add("stream " + streams + " ended with " + event);
            default -> {
                messages.add(event);
                data.add(event.data());
            }
        }
        if (event.id() != null) {
            position = event.id();
        }
        notifyAll();
    }

    private synchronized void joined(String from, String firstId) {
        joins.add("stream " + streams + " from " + from + " first " + firstId);
    }

    private synchronized void refused(String why) {
        refusals.merge(why.length() > 60 ? why.substring(0, 60) : why, 1, Integer::sum);
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY.toMillis()); // a client's reconnect delay, not a synchronisation
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** The messages got so far, in order, over all connections. */
    public synchronized List<SseEvent> messages() {
        return List.copyOf(messages);
    }

    /** The data of each {@code stream-reset} got so far. */
    public synchronized List<String> resets() {
        return List.copyOf(resets);
    }

    /** Streams that did not begin with {@code stream-open}, and any {@code stream-error}. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** How many streams it opened ({@code 200} with a first event). */
    public synchronized int streams() {
        return streams;
    }

    /** Waits until it has opened {@code count} streams in all. */
    public void awaitStreams(int count, Duration timeout) throws InterruptedException {
        await(() -> streams >= count, "open " + count + " streams", timeout);
    }

    /** Waits until it has a message with this data. */
    public void awaitData(String data, Duration timeout) throws InterruptedException {
        await(() -> this.data.contains(data), "get " + data, timeout);
    }

    /** Waits until it has {@code count} messages in all. */
    public void awaitMessages(int count, Duration timeout) throws InterruptedException {
        await(() -> messages.size() >= count, "get " + count + " messages", timeout);
    }

    private synchronized void await(BooleanSupplier condition, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError(this + " did not " + what + " within " + timeout);
            }
            wait(left);
        }
    }

    /** What it went through, for failure messages. */
    @Override
    public synchronized String toString() {
        return "client " + name + " (" + uri + "): " + messages.size() + " messages, " + streams + " streams, resets "
                + resets + ", refused " + refusals + ", position " + position
                + (problems.isEmpty() ? "" : ", problems " + problems) + ", streams joined " + joins;
    }

    /** Stops reconnecting and closes its connection. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        SseClient open = current;
        if (open != null) {
            open.close();
        }
        thread.join(TimeUnit.SECONDS.toMillis(35)); // a connection being made gives up after the socket's 30 s timeout
    }
}
