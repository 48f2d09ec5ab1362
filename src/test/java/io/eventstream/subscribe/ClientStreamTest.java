package io.eventstream.subscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientStreamTest {

    private final ExecutorService writers = Executors.newFixedThreadPool(2);
    private final RecordingSink sink = new RecordingSink();

    @AfterEach
    void stop() {
        writers.shutdownNow();
    }

    private ClientStream stream(int capacity) {
        return new ClientStream(sink, RecordingSink.event(null), writers, capacity);
    }

    @Test
    void writesEventsInTheOrderTheyWereSent() throws Exception {
        ClientStream stream = stream(10_000);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            sent.add("e" + i);
            stream.send(RecordingSink.event("e" + i));
        }
        awaitWritten(5_000);
        assertEquals(sent, sink.written);
    }

    @Test
    void aClientThatFallsBehindItsBufferIsClosedOnceWithoutBlockingTheSender() throws Exception {
        sink.gate = new CountDownLatch(1); // the client stops reading
        ClientStream stream = stream(3);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            stream.send(RecordingSink.event("e" + i));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(stream.isClosed());
        assertEquals(1, closeActions.get());
        assertTrue(stream.send(RecordingSink.event("late")).toCompletableFuture().isCompletedExceptionally());
        sink.gate.countDown();
        // The sender never waited on the stalled client: 100 sends took far less than one blocked write.
        assertTrue(elapsedMillis < 5_000, "sender was blocked for " + elapsedMillis + " ms");
    }

    @Test
    void aFailedWriteClosesTheStreamAndRunsCloseActionsOnce() throws Exception {
        sink.failing = true;
        ClientStream stream = stream(10);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        stream.onClose(closed::countDown);
        stream.send(RecordingSink.event("e"));
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        stream.close();
        stream.close();
        assertEquals(1, closeActions.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.closes == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the container sink is closed on a writer thread
        }
        assertEquals(1, sink.closes);
    }

    @Test
    void closeActionsAddedAfterCloseRunAtOnce() {
        ClientStream stream = stream(10);
        stream.close();
        AtomicInteger ran = new AtomicInteger();
        stream.onClose(ran::incrementAndGet);
        assertEquals(1, ran.get());
    }

    @Test
    void keepAliveIsWrittenOnlyWhenNothingIsWaiting() throws Exception {
        ClientStream stream = stream(10);
        stream.keepAlive();
        awaitWritten(1);
        assertEquals(List.of(":"), sink.written);

        sink.gate = new CountDownLatch(1);
        stream.send(RecordingSink.event("held")); // taken by the writer, blocked in the sink
        stream.send(RecordingSink.event("waiting"));
        stream.keepAlive();
        sink.gate.countDown();
        awaitWritten(3);
        assertEquals(List.of(":", "held", "waiting"), sink.written);
        assertFalse(stream.isClosed());
    }

    private void awaitWritten(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.written.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling a plain list: there is no event to wait on
        }
        assertEquals(count, sink.written.size());
    }
}
