package io.eventstream.subscribe;

import java.io.IOException;

/**
 * Where a {@link ClientStream}'s bytes go, written without blocking: the container's response in non-blocking
 * mode ({@link ServletConnection}), or a test's buffer.
 */
public interface Connection {

    /** Starts telling {@code stream} when writing becomes possible again and when the connection fails. */
    void attach(ClientStream stream);

    /**
     * Whether a write or flush may be made now; when false, the connection calls
     * {@link ClientStream#writePossible()} once it may.
     */
    boolean isReady();

    /** Hands bytes to the connection; they may stay buffered until {@link #flush()}. */
    void write(byte[] bytes) throws IOException;

    /** Sends what was written to the client. */
    void flush() throws IOException;

    /** Ends the response; safe to call more than once. */
    void close();
}
