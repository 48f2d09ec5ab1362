package io.eventstream.subscribe;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.logging.Logger;

/**
 * One client connection: a bounded queue of encoded frames in front of a non-blocking {@link Connection}.
 *
 * <p>Senders (the topic listener, keep-alive, custom streams) only enqueue, so a slow or dead client never
 * blocks them. A shared writer pool drains the queue, writing every frame that waits into the connection and
 * flushing once per batch, so a client that has fallen behind gets several events in one write. When the
 * connection cannot take more, the stream waits without a thread until the container says it can. A client
 * whose queue overflows is cut off, and a client whose write fails is closed: either way it is closed exactly
 * once and its close actions (leaving its channels) run once.
 */
public final class ClientStream {

    private static final Logger LOG = Logger.getLogger(ClientStream.class.getName());
    // Frames written before one flush: bounds the bytes one stream writes in one go while others wait for a writer.
    private static final int BATCH_BYTES = 32 * 1024;

    // Who may write: nobody (IDLE), the thread that set WRITING, the container's callback (WAITING), or nobody ever (DONE).
    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int WAITING = 2;
    private static final int DONE = 3;

    private final Connection connection;
    private final Executor writers;
    private volatile int capacity; // raised by a replay, which may be larger than the live buffer
    // Counters and flags are fields updated in place rather than Atomic* objects: a broadcast touches every
    // subscriber's stream, and each extra object is one more cache miss per subscriber per event.
    private static final AtomicIntegerFieldUpdater<ClientStream> PENDING_COUNT =
            AtomicIntegerFieldUpdater.newUpdater(ClientStream.class, "pendingCount");
    private static final AtomicIntegerFieldUpdater<ClientStream> STATE =
            AtomicIntegerFieldUpdater.newUpdater(ClientStream.class, "state");
    private static final AtomicIntegerFieldUpdater<ClientStream> ACCEPTING =
            AtomicIntegerFieldUpdater.newUpdater(ClientStream.class, "accepting");

    private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private volatile int pendingCount;
    private volatile int state = IDLE;
    private volatile int writePossible; // 1 once the connection called back, until the writer looks again
    private volatile int accepting = 1; // 0 once closed: no more events, close actions ran
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private volatile boolean ending;   // closeAfter: write what is queued, then end the connection
    private volatile boolean aborted;  // close: end the connection without writing more
    private volatile long lastFlushNanos = System.nanoTime();
    private volatile long waitingSince; // when the connection last refused more bytes
    private int unflushed; // bytes written since the last flush; only the writer touches it (guarded by state)

    ClientStream(Connection connection, Executor writers, int capacity) {
        this.connection = connection;
        this.writers = writers;
        this.capacity = capacity;
    }

    /** Queues a frame for this client; false when the stream is closed, or its buffer is full (it is cut off). */
    public boolean send(byte[] frame) {
        if (!enqueue(frame)) {
            return false;
        }
        scheduleWrite();
        return true;
    }

    /**
     * Queues a frame without handing the stream to a writer: true when the caller must, with
     * {@link #drainLater}, so that a broadcast hands its streams to the pool in batches instead of one by one.
     */
    boolean offer(byte[] frame) {
        return enqueue(frame) && STATE.compareAndSet(this, IDLE, WRITING);
    }

    /** Has a writer drain each of {@code streams}, which {@link #offer} said need it, one after the other. */
    static void drainLater(List<ClientStream> streams) {
        try {
            streams.get(0).writers.execute(() -> streams.forEach(ClientStream::drain));
        } catch (RuntimeException e) {
            for (ClientStream stream : streams) { // the pool is shutting down with the application
                stream.state = IDLE;
                stream.close();
            }
        }
    }

    private boolean enqueue(byte[] frame) {
        if (accepting == 0) {
            return false;
        }
        if (PENDING_COUNT.incrementAndGet(this) > capacity) {
            PENDING_COUNT.decrementAndGet(this);
            LOG.warning(() -> "eventstream: closing a client that fell " + capacity
                    + " events behind (eventstream.client.buffer); it can reconnect and resume");
            close();
            return false;
        }
        pending.add(frame);
        return true;
    }

    /**
     * Queues the frames a resuming client missed; they do not count against its live buffer, whose bound grows
     * by the replay (itself bounded by the history).
     */
    void replay(List<byte[]> frames) {
        if (frames.isEmpty() || accepting == 0) {
            return;
        }
        capacity += frames.size();
        PENDING_COUNT.addAndGet(this, frames.size());
        pending.addAll(frames);
        scheduleWrite();
    }

    /**
     * Writes a comment if nothing was sent for {@code idleNanos}: keeps proxies open, and finds a client that left
     * (its write fails); a stream that carries events writes no comments.
     */
    void keepAlive(long now, long idleNanos) {
        if (pendingCount == 0 && state == IDLE && now - lastFlushNanos >= idleNanos) {
            send(SseFrames.COMMENT);
        }
    }

    /**
     * Cuts the client off if its connection has taken no byte for {@code timeoutNanos}: a client that stopped
     * reading on a quiet channel would never overflow its buffer, and would hold its connection for good.
     */
    void closeIfStalled(long now, long timeoutNanos) {
        if (state == WAITING && now - waitingSince >= timeoutNanos) {
            LOG.warning(() -> "eventstream: closing a client that read nothing for "
                    + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s (eventstream.client.write-timeout)");
            close();
        }
    }

    private void scheduleWrite() {
        if (STATE.compareAndSet(this, IDLE, WRITING)) {
            try {
                writers.execute(this::drain);
            } catch (RuntimeException e) {
                state = IDLE;
                close(); // the pool is shutting down with the application
            }
        }
    }

    /** Called by the connection when it can take bytes again after {@link Connection#isReady()} said no. */
    void writePossible() {
        writePossible = 1;
        if (STATE.compareAndSet(this, WAITING, WRITING)) {
            drain();
        }
    }

    // Runs only while this thread holds WRITING. Leaves it as IDLE (nothing to write), WAITING (the connection
    // will call writePossible) or DONE, re-checking after each hand-over for work that arrived meanwhile.
    private void drain() {
        try {
            for (;;) {
                if (aborted) {
                    finish();
                    return;
                }
                writePossible = 0;
                if (!connection.isReady()) {
                    if (ending) {
                        finish(); // a client that is not reading is not waited for to see its last event
                        return;
                    }
                    waitingSince = System.nanoTime();
                    state = WAITING;
                    // The callback may have come between isReady and here, finding no WAITING to take over.
                    if ((writePossible == 1 || aborted) && STATE.compareAndSet(this, WAITING, WRITING)) {
                        continue;
                    }
                    return;
                }
                byte[] frame = unflushed < BATCH_BYTES ? pending.poll() : null;
                if (frame != null) {
                    PENDING_COUNT.decrementAndGet(this);
                    connection.write(frame);
                    unflushed += frame.length;
                } else if (unflushed > 0) {
                    connection.flush();
                    unflushed = 0;
                    lastFlushNanos = System.nanoTime();
                } else if (ending) {
                    finish(); // the last event is written
                    return;
                } else {
                    state = IDLE;
                    if ((aborted || !pending.isEmpty()) && STATE.compareAndSet(this, IDLE, WRITING)) {
                        continue;
                    }
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            abort(); // the client has gone
            finish();
        }
    }

    private void finish() {
        state = DONE;
        // Ending the response may flush on the caller's thread: never the topic listener's.
        try {
            writers.execute(connection::close);
        } catch (RuntimeException e) {
            connection.close(); // the pool is shutting down with the application
        }
    }

    /**
     * Ends the stream with one last event (e.g. {@code stream-error}): it stops receiving at once (its close
     * actions run now, and what was still queued is dropped), then the event is written and the connection
     * closed. A client that is not reading at all is closed without it.
     */
    void closeAfter(byte[] last) {
        if (!ACCEPTING.compareAndSet(this, 1, 0)) {
            return;
        }
        pending.clear();
        pendingCount = 0;
        runCloseActions();
        PENDING_COUNT.incrementAndGet(this);
        pending.add(last);
        ending = true;
        if (state == WAITING) {
            close();
        } else if (STATE.compareAndSet(this, IDLE, WRITING)) {
            writers.execute(this::drain);
        }
    }

    /** Runs {@code action} once when this stream closes, or at once if it already has. */
    public void onClose(Runnable action) {
        closeActions.add(action);
        if (accepting == 0 && closeActions.remove(action)) {
            action.run();
        }
    }

    /** True once the stream takes no more events. */
    public boolean isClosed() {
        return accepting == 0;
    }

    /** Closes the stream and the connection, dropping what is queued; safe to call any number of times, from any thread. */
    public void close() {
        abort();
        for (;;) {
            int now = state;
            if (now == WRITING || now == DONE) {
                return; // the writer sees aborted and finishes
            }
            if (STATE.compareAndSet(this, now, DONE)) {
                finish();
                return;
            }
        }
    }

    private void abort() {
        aborted = true;
        if (ACCEPTING.compareAndSet(this, 1, 0)) {
            runCloseActions();
        }
        pending.clear();
        pendingCount = 0;
    }

    private void runCloseActions() {
        for (Runnable action : closeActions) {
            if (closeActions.remove(action)) {
                action.run();
            }
        }
    }
}
