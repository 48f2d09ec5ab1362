package io.eventstream.subscribe;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One client connection: a bounded buffer in front of the container's event sink, written by a shared pool.
 *
 * <p>Senders (the topic listener, keep-alive, custom streams) only enqueue, so a slow or dead client never
 * blocks them; events are written in the order they were enqueued. A client whose buffer overflows is cut
 * off, and a client whose write fails is closed: either way it is closed exactly once and its close actions
 * (leaving its channels) run once.
 */
public final class ClientStream implements SseEventSink {

    private static final Logger LOG = Logger.getLogger(ClientStream.class.getName());
    // Bounds the wait for a sink whose send completes later. Jersey's send writes on the calling thread and returns a
    // completed future: there a write to a client that stops reading blocks inside send(), once the container's
    // buffer is full (see ClientStreams), until the container's own write timeout fails it.
    private static final long WRITE_TIMEOUT_SECONDS = 30;

    private final SseEventSink sink;
    private final Executor writers;
    private volatile int capacity; // raised by a replay, which may be larger than the live buffer
    private final OutboundSseEvent keepAliveComment;
    private final Queue<OutboundSseEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean(); // closeAfter: one last event, then closed
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();

    ClientStream(SseEventSink sink, OutboundSseEvent keepAliveComment, Executor writers, int capacity) {
        this.sink = sink;
        this.keepAliveComment = keepAliveComment;
        this.writers = writers;
        this.capacity = capacity;
    }

    /** Queues an event for this client; fails (and cuts the client off) when its buffer is full. */
    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        if (closed.get() || closing.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("stream is closed"));
        }
        if (pendingCount.incrementAndGet() > capacity) {
            pendingCount.decrementAndGet();
            LOG.warning(() -> "eventstream: closing a client that fell " + capacity
                    + " events behind (eventstream.client.buffer); it can reconnect and resume");
            close();
            return CompletableFuture.failedFuture(new IllegalStateException("client too slow"));
        }
        pending.add(event);
        scheduleWrite();
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Queues the events a resuming client missed; they do not count against its live buffer, whose bound grows
     * by the replay (itself bounded by the history).
     */
    void replay(List<OutboundSseEvent> events) {
        if (events.isEmpty() || closed.get()) {
            return;
        }
        capacity += events.size();
        pendingCount.addAndGet(events.size());
        pending.addAll(events);
        scheduleWrite();
    }

    /** Writes a comment when nothing else is waiting: keeps proxies open and finds dead clients on the next write. */
    void keepAlive() {
        if (pendingCount.get() == 0) {
            send(keepAliveComment);
        }
    }

    private void scheduleWrite() {
        if (writing.compareAndSet(false, true)) {
            try {
                writers.execute(this::writePending);
            } catch (RuntimeException e) {
                writing.set(false);
                close(); // the pool is shutting down with the application
            }
        }
    }

    private void writePending() {
        try {
            OutboundSseEvent event;
            while (!closed.get() && (event = pending.poll()) != null) {
                pendingCount.decrementAndGet();
                write(event);
            }
        } finally {
            writing.set(false);
        }
        // An event enqueued after the loop saw an empty queue, but before the flag was cleared, needs a writer.
        if (!closed.get() && !pending.isEmpty()) {
            scheduleWrite();
        } else if (closing.get() && pending.isEmpty()) {
            close(); // the last event is written
        }
    }

    private void write(OutboundSseEvent event) {
        try {
            sink.send(event).toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            close(); // the client has gone (on Payara this is how a disconnect shows)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    /**
     * Ends the stream with one last event (e.g. {@code stream-error}): it stops receiving at once (its close
     * actions run now, and what was still queued is dropped), then the event is written and the connection closed.
     */
    void closeAfter(OutboundSseEvent last) {
        if (closed.get() || !closing.compareAndSet(false, true)) {
            return;
        }
        pending.clear();
        pendingCount.set(0);
        runCloseActions();
        pendingCount.incrementAndGet();
        pending.add(last);
        scheduleWrite();
    }

    /** Runs {@code action} once when this stream closes, or at once if it already has. */
    public void onClose(Runnable action) {
        closeActions.add(action);
        if ((closed.get() || closing.get()) && closeActions.remove(action)) {
            action.run();
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get() || closing.get();
    }

    /** Closes the stream and the connection; safe to call any number of times, from any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pending.clear();
        pendingCount.set(0);
        runCloseActions();
        // Closing the container's sink may wait for a write blocked on this very client: never on the caller's thread.
        try {
            writers.execute(this::closeSink);
        } catch (RuntimeException e) {
            closeSink(); // the pool is shutting down with the application
        }
    }

    private void runCloseActions() {
        for (Runnable action : closeActions) {
            if (closeActions.remove(action)) {
                action.run();
            }
        }
    }

    private void closeSink() {
        try {
            sink.close();
        } catch (RuntimeException e) {
            // Already closed by the container: nothing left to release.
        }
    }
}
