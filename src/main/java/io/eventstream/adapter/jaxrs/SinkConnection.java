package io.eventstream.adapter.jaxrs;

import io.eventstream.core.stream.ClientConnection;
import io.eventstream.core.stream.SseStream;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A stream's connection that is an application's JAX-RS {@link SseEventSink}: each frame the stream writes is sent
 * to the sink as one event, one send at a time.
 *
 * <p>The sink's send is the only flow control a JAX-RS sink offers: the connection is not ready while a send's stage
 * is incomplete, and calls {@link SseStream#writePossible()} when it completes, so a slow client fills its stream's
 * bounded queue and is cut off like any other. A send that fails in any of the ways containers fail one (its stage
 * completes exceptionally, or normally with a {@code Throwable} as its value, as Jersey's does, or it throws) is
 * reported to {@code failed} and closes the stream; so does a sink already closed, without a report. The hub's
 * {@code stream-open} is not sent: the application's client gets its channel's events only.
 */
final class SinkConnection implements ClientConnection {

    private static final Logger LOG = Logger.getLogger(SinkConnection.class.getName());

    private final SseEventSink sink;
    private final Consumer<Throwable> failed;
    private volatile SseStream stream;
    // True from a send until its stage completes: the connection is not ready meanwhile.
    private volatile boolean sending;
    // Set by isReady() before it looks at sending, cleared by whoever sees the send complete: isReady() writes it
    // then reads sending, the completion writes sending then reads it, so at least one of the two sees the other's
    // write and a "not ready" is always followed by exactly one writePossible() (FakeConnection's handshake).
    private final AtomicBoolean owesCallback = new AtomicBoolean();
    private final AtomicBoolean reported = new AtomicBoolean();
    // Set before the stream is closed to leave the sink open (a broadcaster closed without cascading).
    private volatile boolean keepSinkOpen;

    /** @param failed told once, of the first failed send */
    SinkConnection(SseEventSink sink, Consumer<Throwable> failed) {
        this.sink = sink;
        this.failed = failed;
    }

    @Override
    public void attach(SseStream stream) {
        this.stream = stream;
    }

    /** The stream on this connection, or null before it is opened. */
    SseStream stream() {
        return stream;
    }

    SseEventSink sink() {
        return sink;
    }

    @Override
    public boolean isReady() {
        owesCallback.set(true);
        if (sending) {
            return false;
        }
        owesCallback.set(false);
        return true;
    }

    @Override
    public void write(byte[] frame) throws IOException {
        if (sink.isClosed()) {
            throw new IOException("the sink is closed"); // the client left, or the application closed it: not a failure
        }
        FrameEvent event = FrameEvent.of(frame);
        if ("stream-open".equals(event.getName())) {
            return;
        }
        CompletionStage<?> stage;
        sending = true;
        try {
            stage = sink.send(event);
        } catch (RuntimeException e) {
            sending = false;
            fail(e);
            throw new IOException("sending to the sink failed", e);
        }
        // The stage may be complete already (Jersey's always is): then sent() runs here, on the writer that holds the
        // stream, and owes no callback, since isReady() has not said no since this send.
        stage.whenComplete(this::sent);
        if (reported.get()) {
            throw new IOException("sending to the sink failed");
        }
    }

    private void sent(Object value, Throwable error) {
        Throwable failure = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                : error != null ? error : value instanceof Throwable thrown ? thrown : null;
        if (failure != null) {
            fail(failure);
        }
        sending = false;
        if (owesCallback.getAndSet(false)) {
            stream.writePossible(); // on the thread that completed the send: drains what waits, as a container's callback
        }
    }

    // Reports the first failure (unless the stream was closed already, whose own sends may fail), then drops the stream.
    private void fail(Throwable failure) {
        SseStream open = stream;
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        if (open != null && !open.isClosed()) {
            failed.accept(failure);
        }
        if (open != null) {
            open.close();
        }
    }

    /** Sends nothing: each event went out with its send. */
    @Override
    public void flush() {
    }

    /** Closes the sink, unless the stream was let go with {@link #release()}. */
    @Override
    public void close() {
        if (keepSinkOpen) {
            return;
        }
        try {
            sink.close();
        } catch (Exception e) { // a sink whose client left may throw on close: nothing is left to do for it
            LOG.log(Level.FINE, "eventstream: closing an SSE sink failed", e);
        }
    }

    /** Ends the stream and closes the sink; any thread, any number of times. */
    void end() {
        SseStream open = stream;
        if (open != null) {
            open.close();
        }
    }

    /** Ends the stream but leaves the sink open, for the application to go on using; any thread. */
    void release() {
        keepSinkOpen = true;
        end();
    }

    /** Whether the sink was left open when the stream ended. */
    boolean released() {
        return keepSinkOpen;
    }
}
