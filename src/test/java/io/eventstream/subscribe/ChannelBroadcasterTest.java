package io.eventstream.subscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelBroadcasterTest {

    private final ChannelBroadcaster broadcaster = new ChannelBroadcaster("news", null);

    @Test
    void oneFailingSinkNeitherFailsTheBroadcastNorIsRemovedTwice() {
        RecordingSink healthy = new RecordingSink();
        RecordingSink broken = new RecordingSink();
        broken.failing = true;
        AtomicInteger errors = new AtomicInteger();
        broadcaster.onError((sink, failure) -> errors.incrementAndGet());
        broadcaster.register(healthy);
        broadcaster.register(broken);

        broadcaster.broadcast(RecordingSink.event("one"));
        broadcaster.broadcast(RecordingSink.event("two"));

        assertEquals(List.of("one", "two"), healthy.written);
        assertEquals(1, errors.get());
        assertEquals(1, broadcaster.size());
    }

    @Test
    void aClosedSinkIsRemovedExactlyOnce() {
        RecordingSink sink = new RecordingSink();
        AtomicInteger closes = new AtomicInteger();
        broadcaster.onClose(closed -> closes.incrementAndGet());
        broadcaster.register(sink);
        sink.close();
        broadcaster.broadcast(RecordingSink.event("one"));
        broadcaster.broadcast(RecordingSink.event("two"));
        assertEquals(1, closes.get());
        assertTrue(sink.written.isEmpty());
    }

    @Test
    void unregisterReportsWhenTheLastSubscriberLeft() {
        RecordingSink first = new RecordingSink();
        RecordingSink second = new RecordingSink();
        broadcaster.register(first);
        broadcaster.register(second);
        assertEquals(false, broadcaster.unregister(first));
        assertEquals(true, broadcaster.unregister(second));
    }

    @Test
    void closeIsSafeTwiceAndRefusesLaterRegistrations() {
        RecordingSink sink = new RecordingSink();
        broadcaster.register(sink);
        broadcaster.close();
        broadcaster.close();
        assertEquals(1, sink.closes);
        assertThrows(IllegalStateException.class, () -> broadcaster.register(new RecordingSink()));
    }
}
