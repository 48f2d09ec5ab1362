package io.eventstream.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.stream.FakeConnection;
import io.eventstream.core.stream.SseStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ChannelBroadcasterTest {

    private static final Executor NOW = Runnable::run; // writes on the caller's thread: the test reads at once

    private final ChannelBroadcaster broadcaster = new ChannelBroadcaster();

    private static SseStream stream(FakeConnection connection) {
        SseStream stream = new SseStream(connection, NOW, 100, "channels test");
        connection.attach(stream);
        return stream;
    }

    @Test
    void everySubscriberGetsTheSameFrameAndAClosedOneGetsNothing() {
        FakeConnection first = new FakeConnection();
        FakeConnection second = new FakeConnection();
        SseStream closed = stream(second);
        broadcaster.register(stream(first));
        broadcaster.register(closed);
        closed.close();

        broadcaster.send("one;".getBytes(StandardCharsets.UTF_8));
        broadcaster.send("two;".getBytes(StandardCharsets.UTF_8));

        assertEquals("one;two;", first.received());
        assertEquals("", second.received());
    }

    @Test
    void unregisterReportsWhenTheLastSubscriberLeft() {
        SseStream first = stream(new FakeConnection());
        SseStream second = stream(new FakeConnection());
        broadcaster.register(first);
        broadcaster.register(second);
        assertFalse(broadcaster.unregister(first));
        assertTrue(broadcaster.unregister(second));
        assertEquals(0, broadcaster.size());
    }
}
