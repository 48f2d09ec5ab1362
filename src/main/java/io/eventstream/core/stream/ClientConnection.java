package io.eventstream.core.stream;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The port a {@link SseStream}'s bytes go out through, written without blocking: the container's response in
 * non-blocking mode (the HTTP adapter's servlet connection), an application's JAX-RS {@code SseEventSink} (the JAX-RS
 * adapter's sink connection, one event per frame), or a test's buffer.
 */
public interface ClientConnection {

    /** Starts telling {@code stream} when writing becomes possible again and when the connection fails. */
    void attach(SseStream stream);

    /**
     * Whether a write or flush may be made now; when false, the connection calls {@link SseStream#writePossible()}
     * once it may.
     */
    boolean isReady();

    /** Hands bytes to the connection; they may stay buffered until {@link #flush()}. */
    void write(byte[] bytes) throws IOException;

    /** Sends what was written to the client. */
    void flush() throws IOException;

    /** Ends the response; safe to call more than once. */
    void close();

    /**
     * Completes once the container has finished the response after {@link #close()} (it runs its completion callbacks,
     * on WildFly on a task of their own); at once for a connection with nothing to wait for.
     */
    default CompletionStage<Void> finished() {
        return CompletableFuture.completedFuture(null);
    }
}
