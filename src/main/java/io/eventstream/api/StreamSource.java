package io.eventstream.api;

/**
 * A custom stream: a CDI bean named with {@code @Named("clock")} is served at {@code GET {root}/streams/clock}.
 *
 * <p>{@link #open} is called once for each client that connects. It must not block: it sends what it has and
 * schedules further work with {@link StreamClient#every} or {@link StreamClient#after}, which run on a shared
 * scheduler and stop by themselves when the client leaves. No thread is held per connection.
 */
public interface StreamSource {

    /** Starts producing events for one newly connected client. */
    void open(StreamClient client);
}
