package io.eventstream.api;

import java.time.Duration;
import java.util.Optional;

/** One client of a custom stream, handed to {@link StreamSource#open}: send it events and schedule work for it. */
public interface StreamClient {

    /** Sends an event whose data is serialized to JSON with JSON-B; ignored once the client has left. */
    void send(String eventType, Object data);

    /** Runs {@code task} now and then every {@code period} until the client leaves; a task that throws closes the stream. */
    void every(Duration period, Runnable task);

    /** Runs {@code task} once after {@code delay}, unless the client has left by then. */
    void after(Duration delay, Runnable task);

    /** A query parameter of the request that opened the stream. */
    Optional<String> parameter(String name);

    /**
     * The user reading the stream, as a {@code ChannelAuthorizer} would see them: the container's authenticated
     * user or a subscriber token's {@code sub}; empty when anonymous. Check access here if the stream needs it.
     */
    Optional<String> user();

    /** The {@code Last-Event-ID} the client sent when it reconnected, if any. */
    Optional<String> lastEventId();

    /** False once the client has left or the stream was closed. */
    boolean isOpen();

    /** Runs {@code action} once, when the client leaves or the stream is closed. */
    void onClose(Runnable action);

    /** Ends the stream; the browser's EventSource will reconnect unless told otherwise by the application. */
    void close();
}
