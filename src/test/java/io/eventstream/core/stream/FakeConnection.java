package io.eventstream.core.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A non-blocking connection that records what reaches the client per flush, and can be made to refuse writes
 * (a full socket) until {@link #release()}, or to fail like a client that left.
 */
public final class FakeConnection implements ClientConnection {

    /** What each flush sent, in order. */
    public final List<String> flushed = new CopyOnWriteArrayList<>();
    public final AtomicInteger closes = new AtomicInteger();
    public volatile boolean failing;
    public volatile BooleanSupplier ready = () -> true;
    /** What {@link #finished()} answers: the container finishing the response after a close (at once by default). */
    public volatile CompletableFuture<Void> finished = CompletableFuture.completedFuture(null);
    private final ByteArrayOutputStream unflushed = new ByteArrayOutputStream();
    private volatile SseStream stream;
    private final AtomicBoolean owesCallback = new AtomicBoolean(); // isReady said no: writePossible is due

    @Override
    public void attach(SseStream stream) {
        this.stream = stream;
    }

    @Override
    public boolean isReady() {
        owesCallback.set(true); // before asking, as a container registers for the callback before it answers no
        boolean now = ready.getAsBoolean();
        if (now) {
            owesCallback.set(false);
        }
        return now;
    }

    @Override
    public synchronized void write(byte[] bytes) throws IOException {
        if (failing) {
            throw new IOException("broken pipe");
        }
        unflushed.write(bytes);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (failing) {
            throw new IOException("broken pipe");
        }
        flushed.add(unflushed.toString(StandardCharsets.UTF_8));
        unflushed.reset();
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public CompletionStage<Void> finished() {
        return finished;
    }

    /** Makes the connection ready again and, as a container does, calls back if a write was refused. */
    public void release() {
        ready = () -> true;
        callBack();
    }

    /** Calls back, as a container does once writing may resume, if a write was refused. */
    public void callBack() {
        if (owesCallback.getAndSet(false)) {
            stream.writePossible();
        }
    }

    /** Everything that reached the client. */
    public String received() {
        return String.join("", flushed);
    }
}
