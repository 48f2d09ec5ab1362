package io.eventstream.subscribe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A non-blocking connection that records what reaches the client per flush, and can be made to refuse writes
 * (a full socket) until {@link #release()}, or to fail like a client that left.
 */
final class FakeConnection implements Connection {

    /** What each flush sent, in order. */
    final List<String> flushed = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean failing;
    volatile BooleanSupplier ready = () -> true;
    private final ByteArrayOutputStream unflushed = new ByteArrayOutputStream();
    private volatile ClientStream stream;
    private final AtomicBoolean owesCallback = new AtomicBoolean(); // isReady said no: writePossible is due

    @Override
    public void attach(ClientStream stream) {
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

    /** Makes the connection ready again and, as a container does, calls back if a write was refused. */
    void release() {
        ready = () -> true;
        callBack();
    }

    /** Calls back, as a container does once writing may resume, if a write was refused. */
    void callBack() {
        if (owesCallback.getAndSet(false)) {
            stream.writePossible();
        }
    }

    /** Everything that reached the client. */
    String received() {
        return String.join("", flushed);
    }
}
