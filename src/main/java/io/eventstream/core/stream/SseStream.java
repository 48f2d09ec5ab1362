package io.eventstream.core.stream;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of one client connection: a bounded queue of encoded frames in front of a non-blocking
 * {@link ClientConnection}.
 *
 * <p>Senders (the hub, keep-alive, custom streams) only enqueue, so a slow or dead client never blocks them. A
 * shared writer pool drains the queue, writing every frame that waits into the connection and flushing once per
 * batch, so a client that has fallen behind gets several events in one write. When the connection cannot take
 * more, the stream waits without a thread until the container says it can. A client whose queue overflows is
 * cut off, and a client whose write fails is closed: either way it is closed exactly once and its close actions
 * (leaving its channels, releasing its admission) run once.
 *
 * <h2>The state word</h2>
 * The stream's life is one {@code int}, changed only by compare-and-set, as Undertow's servlet output stream
 * does. Its low two bits say who may write to the connection:
 * <ul>
 * <li>{@code IDLE}: nobody; the first thread to move it to {@code WRITING} drains the queue;</li>
 * <li>{@code WRITING}: the one thread that set it, on a writer (or the container's callback thread);</li>
 * <li>{@code WAITING}: nobody; the connection refused bytes and will call {@link #writePossible()}, which moves it
 *     back to {@code WRITING};</li>
 * <li>{@code DONE}: nobody, ever again; the connection is closed (or being closed) on a writer.</li>
 * </ul>
 * Its flags:
 * <ul>
 * <li>{@code CLOSED}: takes no more frames; set once, by whoever closes, who then runs the close actions;</li>
 * <li>{@code ENDING}: a last frame is queued ({@link #closeAfter}): write it, then close the connection;</li>
 * <li>{@code ABORTED}: close the connection without writing more;</li>
 * <li>{@code WRITE_POSSIBLE}: the container called back since the writer last asked {@code isReady()}.</li>
 * </ul>
 * Above the flags, the {@link StreamEnd} it was closed for, set in the same compare-and-set as {@code CLOSED}, so the
 * first closer's reason is the one reported.
 * Transitions: IDLE→WRITING (a sender, keep-alive, {@link #closeAfter}); WRITING→IDLE (queue empty, unless a
 * frame or an abort arrived: re-checked after the move); WRITING→WAITING (connection full, atomically refused when
 * {@code WRITE_POSSIBLE} or {@code ABORTED} is set, so a callback between {@code isReady()} and the move is never
 * lost); WAITING→WRITING (the callback); IDLE or WAITING→DONE ({@link #close()}); WRITING→DONE (the writer, on
 * {@code ABORTED}, {@code ENDING} done, or a failed write).
 *
 * <h2>The end report</h2>
 * Once the stream is {@code DONE} its connection is closed and its {@link StreamSummary} handed to the listener given
 * at construction, exactly once: by the thread whose move made it {@code DONE} (a writer), or by the writer task that
 * thread submitted ({@link #close()} on a sender's thread). Its counts are plain fields written only by the thread
 * holding {@code WRITING}; that thread's last move (to {@code IDLE}, {@code WAITING} or {@code DONE}) is a
 * compare-and-set which the move to {@code DONE} reads, and the task submission orders the rest, so the report sees
 * every count. Nothing writes after {@code DONE}.
 */
public final class SseStream {

    private static final Logger LOG = Logger.getLogger(SseStream.class.getName());
    // Frames written before one flush: bounds the bytes one stream writes in one go while others wait for a writer.
    private static final int BATCH_BYTES = 32 * 1024;

    private static final int WRITER = 0b11;
    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int WAITING = 2;
    private static final int DONE = 3;
    private static final int CLOSED = 1 << 2;
    private static final int ENDING = 1 << 3;
    private static final int ABORTED = 1 << 4;
    private static final int WRITE_POSSIBLE = 1 << 5;
    private static final int WHY_SHIFT = 6; // the StreamEnd's ordinal, set with CLOSED
    private static final StreamEnd[] REASONS = StreamEnd.values();

    // Field updaters rather than Atomic* objects: a broadcast touches every subscriber's stream, and each extra
    // object is one more cache miss per subscriber per event.
    private static final AtomicIntegerFieldUpdater<SseStream> STATE =
            AtomicIntegerFieldUpdater.newUpdater(SseStream.class, "state");
    private static final AtomicIntegerFieldUpdater<SseStream> PENDING_COUNT =
            AtomicIntegerFieldUpdater.newUpdater(SseStream.class, "pendingCount");

    private final ClientConnection connection;
    private final Executor writers;
    private final String label;
    private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private final LongAdder delivered;
    private final Consumer<StreamSummary> ended;
    private final long openedNanos = System.nanoTime();
    private volatile int state = IDLE;
    // Frames queued and not yet taken by the writer: incremented by whoever adds, decremented by whoever removes.
    private volatile int pendingCount;
    // Raised once by a replay, before the stream joins any channel (see replay()); read by every enqueue.
    private volatile int capacity;
    // Written by the writer only, read by the keep-alive task.
    private volatile long lastFlushNanos = System.nanoTime();
    private volatile long waitingSince;
    // Only the thread holding WRITING touches these (see "The end report").
    private int unflushed; // bytes written since the last flush
    private int eventsUnflushed; // event frames written since the last flush
    private long eventsFlushed;
    private long bytesFlushed;

    /**
     * @param capacity frames that may wait for this client before it is cut off
     * @param label    what the stream reads, for log lines (e.g. {@code channels news, alerts})
     */
    public SseStream(ClientConnection connection, Executor writers, int capacity, String label) {
        this(connection, writers, capacity, label, new LongAdder(), summary -> { });
    }

    /**
     * @param delivered the node's count of event frames flushed to clients, added to once per flush
     * @param ended     told once, on a writer, what the stream did after it ended and its connection was closed
     */
    public SseStream(ClientConnection connection, Executor writers, int capacity, String label, LongAdder delivered,
                     Consumer<StreamSummary> ended) {
        this.connection = connection;
        this.writers = writers;
        this.capacity = capacity;
        this.label = label;
        this.delivered = delivered;
        this.ended = ended;
    }

    /** Completes once the container has finished the connection after the stream closed it ({@link ClientConnection#finished()}). */
    public CompletionStage<Void> finished() {
        return connection.finished();
    }

    /** Queues a frame for this client; false when the stream is closed, or its buffer is full (it is cut off). */
    public boolean send(byte[] frame) {
        if (!enqueue(frame)) {
            return false;
        }
        drainSoon();
        return true;
    }

    /**
     * Queues a frame without handing the stream to a writer: true when the caller must, with {@link #drainLater},
     * so that a broadcast hands its streams to the pool in batches instead of one by one.
     */
    public boolean offer(byte[] frame) {
        return enqueue(frame) && claim();
    }

    /** Has a writer drain each of {@code streams}, which {@link #offer} said need it, one after the other. */
    public static void drainLater(List<SseStream> streams) {
        submit(streams.get(0).writers, () -> streams.forEach(SseStream::drain),
                () -> streams.forEach(stream -> stream.closeNow(StreamEnd.SERVER_STOPPING)));
    }

    /**
     * The one way work reaches a writer. When the pool refuses it (the application is stopping), {@code instead} runs
     * on this thread: nobody else would ever drain or close the streams it was for.
     */
    private static void submit(Executor writers, Runnable task, Runnable instead) {
        try {
            writers.execute(task);
        } catch (RuntimeException e) {
            instead.run();
        }
    }

    private boolean enqueue(byte[] frame) {
        if ((state & CLOSED) != 0) {
            return false;
        }
        if (PENDING_COUNT.incrementAndGet(this) > capacity) {
            PENDING_COUNT.decrementAndGet(this);
            LOG.warning(() -> "eventstream: closing a client (" + label + ") that fell " + capacity
                    + " events behind (eventstream.client.buffer); it can reconnect and resume");
            close(StreamEnd.SLOW);
            return false;
        }
        pending.add(frame); // a frame added just after a close is never written: the writer only finishes
        return true;
    }

    // Hands the stream to a writer unless one holds it already (who then sees what was just queued).
    private void drainSoon() {
        if (claim()) {
            submit(writers, this::drain, () -> closeNow(StreamEnd.SERVER_STOPPING));
        }
    }

    /** IDLE → WRITING, keeping the flags: true when the caller now holds the writer's turn. */
    private boolean claim() {
        for (;;) {
            int now = state;
            if ((now & WRITER) != IDLE) {
                return false;
            }
            if (STATE.compareAndSet(this, now, (now & ~WRITER) | WRITING)) {
                return true;
            }
        }
    }

    /**
     * Queues the frames a resuming client missed. They do not count against its live buffer, whose bound grows by
     * the replay (itself bounded by the history). The hub calls it once, before the stream joins any channel, so
     * only keep-alive can enqueue meanwhile.
     */
    public void replay(List<byte[]> frames) {
        if (offerReplay(frames)) {
            drainLater(List.of(this));
        }
    }

    /**
     * {@link #replay} without handing the stream to a writer: true when the caller must, with {@link #drainLater}
     * (as {@link #offer}), so that the hub hands a new stream to the pool after it has let go of its lock.
     */
    public boolean offerReplay(List<byte[]> frames) {
        if (frames.isEmpty() || (state & CLOSED) != 0) {
            return false;
        }
        capacity += frames.size();
        PENDING_COUNT.addAndGet(this, frames.size());
        pending.addAll(frames);
        return claim();
    }

    /**
     * Writes a comment if nothing was sent for {@code idleNanos}: keeps proxies open, and finds a client that left
     * (its write fails); a stream that carries events writes no comments.
     */
    void keepAlive(long now, long idleNanos) {
        if (pendingCount == 0 && (state & WRITER) == IDLE && now - lastFlushNanos >= idleNanos) {
            send(SseFrames.COMMENT);
        }
    }

    /**
     * Cuts the client off if its connection has taken no byte for {@code timeoutNanos}: a client that stopped
     * reading on a quiet channel would never overflow its buffer, and would hold its connection for good.
     */
    void closeIfStalled(long now, long timeoutNanos) {
        if ((state & WRITER) == WAITING && now - waitingSince >= timeoutNanos) {
            LOG.warning(() -> "eventstream: closing a client (" + label + ") that read nothing for "
                    + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s (eventstream.client.write-timeout)");
            close(StreamEnd.WRITE_TIMEOUT);
        }
    }

    /** Called by the connection when it can take bytes again after {@link ClientConnection#isReady()} said no. */
    public void writePossible() {
        for (;;) {
            int now = state;
            if ((now & WRITER) == WAITING) {
                if (STATE.compareAndSet(this, now, (now & ~WRITER & ~WRITE_POSSIBLE) | WRITING)) {
                    drain();
                    return;
                }
            } else if (STATE.compareAndSet(this, now, now | WRITE_POSSIBLE)) {
                return; // the writer has not parked yet: it sees the flag when it tries to
            }
        }
    }

    // Runs only on the thread holding WRITING. Leaves the stream IDLE (nothing to write), WAITING (the connection
    // will call writePossible) or DONE.
    private void drain() {
        try {
            for (;;) {
                int now = state;
                if ((now & ABORTED) != 0) {
                    finish();
                    return;
                }
                if ((now & WRITE_POSSIBLE) != 0 && !STATE.compareAndSet(this, now, now & ~WRITE_POSSIBLE)) {
                    continue;
                }
                if (!connection.isReady()) {
                    if ((now & ENDING) != 0) {
                        finish(); // a client that is not reading is not waited for to see its last event
                        return;
                    }
                    waitingSince = System.nanoTime();
                    if (park()) {
                        return;
                    }
                    continue; // the callback (or an abort) came between isReady and here
                }
                byte[] frame = unflushed < BATCH_BYTES ? pending.poll() : null;
                if (frame != null) {
                    PENDING_COUNT.decrementAndGet(this);
                    connection.write(frame);
                    unflushed += frame.length;
                    if (SseFrames.isEvent(frame)) {
                        eventsUnflushed++;
                    }
                } else if (unflushed > 0) {
                    connection.flush();
                    counted();
                    lastFlushNanos = System.nanoTime();
                } else if ((now & ENDING) != 0) {
                    finish(); // the last event is written
                    return;
                } else if (rest()) {
                    return;
                }
            }
        } catch (IOException e) {
            closeNow(StreamEnd.CLIENT_LEFT); // the client has gone
        } catch (RuntimeException e) {
            // Not a client that left but a fault (the container's or ours): say so, or it passes for a disconnect.
            LOG.log(Level.WARNING, "eventstream: writing to a client (" + label + ") failed; closing it", e);
            closeNow(StreamEnd.FAILED);
        }
    }

    // After a flush, by the thread holding WRITING: one add to the node's count per flush, not per frame.
    private void counted() {
        bytesFlushed += unflushed;
        unflushed = 0;
        if (eventsUnflushed > 0) {
            eventsFlushed += eventsUnflushed;
            delivered.add(eventsUnflushed);
            eventsUnflushed = 0;
        }
    }

    // WRITING → WAITING unless the callback or an abort came since the flag was cleared; false: keep writing.
    private boolean park() {
        for (;;) {
            int now = state;
            if ((now & (WRITE_POSSIBLE | ABORTED)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, now, (now & ~WRITER) | WAITING)) {
                return true;
            }
        }
    }

    // WRITING → IDLE, then takes the turn back if a frame or an abort arrived while it was still held (a sender
    // that found WRITING left its frame to us); false: keep writing.
    private boolean rest() {
        for (;;) {
            int now = state;
            if (STATE.compareAndSet(this, now, (now & ~WRITER) | IDLE)) {
                break;
            }
        }
        return !((pending.peek() != null || (state & ABORTED) != 0) && claim());
    }

    // By the thread holding WRITING (or the one that moved IDLE/WAITING to DONE): the connection ends on a writer,
    // since ending a response may flush, which must never happen on the hub's thread.
    private void finish() {
        toDone();
        submit(writers, this::end, this::end);
    }

    // Any → DONE: true when this call made the move (whoever does reports the end, once).
    private boolean toDone() {
        for (;;) {
            int now = state;
            if ((now & WRITER) == DONE) {
                return false;
            }
            if (STATE.compareAndSet(this, now, (now & ~WRITER) | DONE)) {
                return true;
            }
        }
    }

    // Once, after the move to DONE (see "The end report"): closes the connection, then says what the stream did.
    private void end() {
        connection.close();
        StreamSummary summary = new StreamSummary(REASONS[state >>> WHY_SHIFT], eventsFlushed, bytesFlushed,
                System.nanoTime() - openedNanos);
        try {
            ended.accept(summary);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: reporting the end of a stream (" + label + ") failed", e);
        }
    }

    /**
     * Ends the stream with one last frame (e.g. {@code stream-error}): it stops receiving at once (its close actions
     * run now, and what was still queued is dropped), then the frame is written and the connection closed. A client
     * that is not reading at all is closed without it.
     */
    public void closeAfter(byte[] last) {
        closeAfter(last, StreamEnd.CLOSED);
    }

    /** As {@link #closeAfter(byte[])}, saying why. */
    public void closeAfter(byte[] last, StreamEnd why) {
        for (;;) {
            int now = state;
            if ((now & CLOSED) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, now, now | CLOSED | ENDING | why.ordinal() << WHY_SHIFT)) {
                break;
            }
        }
        dropQueue();
        runCloseActions();
        PENDING_COUNT.incrementAndGet(this);
        pending.add(last);
        if ((state & WRITER) == WAITING) {
            close(why);
        } else {
            drainSoon();
        }
    }

    /** Runs {@code action} once when this stream closes, or at once if it already has. */
    public void onClose(Runnable action) {
        closeActions.add(action);
        if ((state & CLOSED) != 0 && closeActions.remove(action)) {
            action.run();
        }
    }

    /** True once the stream takes no more frames. */
    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /**
     * Closes the stream and the connection, dropping what is queued; safe to call any number of times, from any
     * thread. A writer holding the stream sees {@code ABORTED} and closes the connection itself.
     */
    public void close() {
        close(StreamEnd.CLOSED);
    }

    /** As {@link #close()}, saying why; a stream already closed keeps its first reason. */
    public void close(StreamEnd why) {
        abort(why);
        for (;;) {
            int now = state;
            int writer = now & WRITER;
            if (writer == WRITING || writer == DONE) {
                return;
            }
            if (STATE.compareAndSet(this, now, (now & ~WRITER) | DONE)) {
                submit(writers, this::end, this::end);
                return;
            }
        }
    }

    // Where nothing else can, by the thread holding WRITING: the writer after a failed write, or a sender when the pool
    // is gone.
    private void closeNow(StreamEnd why) {
        abort(why);
        if (toDone()) {
            end();
        }
    }

    private void abort(StreamEnd why) {
        int before;
        for (;;) {
            before = state;
            int reason = (before & CLOSED) == 0 ? why.ordinal() << WHY_SHIFT : 0;
            if (STATE.compareAndSet(this, before, before | CLOSED | ABORTED | reason)) {
                break;
            }
        }
        if ((before & CLOSED) == 0) {
            runCloseActions();
        }
        dropQueue();
    }

    private void dropQueue() {
        int dropped = 0;
        while (pending.poll() != null) {
            dropped++;
        }
        PENDING_COUNT.addAndGet(this, -dropped);
    }

    private void runCloseActions() {
        for (Runnable action : closeActions) {
            if (closeActions.remove(action)) {
                action.run();
            }
        }
    }

    /** What the stream reads, as log lines name it. */
    public String label() {
        return label;
    }
}
