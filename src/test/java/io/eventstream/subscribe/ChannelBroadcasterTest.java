package io.eventstream.subscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ChannelBroadcasterTest {

    private static final Executor NOW = Runnable::run; // writes on the caller's thread: the test reads at once

    private final ChannelBroadcaster broadcaster = new ChannelBroadcaster();

    private static ClientStream stream(FakeConnection connection) {
        ClientStream stream = new ClientStream(connection, NOW, 100);
        connection.attach(stream);
        return stream;
    }

    @Test
    void everySubscriberGetsTheSameFrameAndAClosedOneGetsNothing() {
        FakeConnection first = new FakeConnection();
        FakeConnection second = new FakeConnection();
        ClientStream closed = stream(second);
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
        ClientStream first = stream(new FakeConnection());
        ClientStream second = stream(new FakeConnection());
        broadcaster.register(first);
        broadcaster.register(second);
        assertFalse(broadcaster.unregister(first));
        assertTrue(broadcaster.unregister(second));
        assertEquals(0, broadcaster.size());
    }
}
