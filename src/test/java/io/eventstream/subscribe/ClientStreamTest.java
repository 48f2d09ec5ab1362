package io.eventstream.subscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientStreamTest {

    private final ExecutorService writers = Executors.newFixedThreadPool(2);
    private final FakeConnection connection = new FakeConnection();

    @AfterEach
    void stop() {
        writers.shutdownNow();
    }

    private ClientStream stream(int capacity) {
        ClientStream stream = new ClientStream(connection, writers, capacity);
        connection.attach(stream);
        return stream;
    }

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesFramesInTheOrderTheyWereSent() throws Exception {
        ClientStream stream = stream(10_000);
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            sent.append(i).append(';');
            stream.send(frame(i + ";"));
        }
        await(() -> connection.received().length() == sent.length());
        assertEquals(sent.toString(), connection.received());
    }

    @Test
    void framesThatWaitedForAFullConnectionGoOutInOneFlush() throws Exception {
        connection.ready = () -> false; // the client's socket is full
        ClientStream stream = stream(1000);
        for (int i = 0; i < 100; i++) {
            stream.send(frame("e" + i + ";"));
        }
        Thread.sleep(50);
        assertTrue(connection.flushed.isEmpty());
        connection.release();
        await(() -> connection.received().endsWith("e99;"));
        assertEquals(1, connection.flushed.size(), "flushes: " + connection.flushed);
        assertTrue(connection.received().startsWith("e0;e1;e2;"));
    }

    @Test
    void noFrameIsLostOrRepeatedWhileTheConnectionKeepsFillingUp() throws Exception {
        // The container's callback races with new sends: isReady refuses at random and the callback comes from
        // another thread after a random pause, as a selector thread would.
        ScheduledExecutorService container = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger refusals = new AtomicInteger();
            connection.ready = () -> {
                if (ThreadLocalRandom.current().nextInt(8) != 0) {
                    return true;
                }
                refusals.incrementAndGet();
                container.schedule(connection::callBack, ThreadLocalRandom.current().nextInt(200), TimeUnit.MICROSECONDS);
                return false;
            };
            ClientStream stream = stream(100_000);
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                sent.append(i).append(';');
                assertTrue(stream.send(frame(i + ";")));
                if (i % 500 == 0) {
                    Thread.sleep(1); // let the writer catch up now and then, so that it also goes idle
                }
            }
            await(() -> connection.received().length() >= sent.length());
            assertEquals(sent.toString(), connection.received());
            assertTrue(refusals.get() > 10, "the connection refused only " + refusals.get() + " times");
        } finally {
            container.shutdownNow();
        }
    }

    @Test
    void aClientThatFallsBehindItsBufferIsClosedOnceWithoutBlockingTheSender() throws Exception {
        connection.ready = () -> false; // the client stopped reading
        ClientStream stream = stream(3);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        for (int i = 0; i < 100; i++) {
            stream.send(frame("e" + i));
        }
        assertTrue(stream.isClosed());
        assertEquals(1, closeActions.get());
        assertFalse(stream.send(frame("late")));
        await(() -> connection.closes.get() == 1);
        connection.release(); // a late callback from the container finds nothing to do
        Thread.sleep(50);
        assertEquals(1, connection.closes.get());
        assertEquals("", connection.received());
    }

    @Test
    void aFailedWriteClosesTheStreamAndTheConnectionOnce() throws Exception {
        connection.failing = true;
        ClientStream stream = stream(10);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        stream.send(frame("e"));
        await(() -> connection.closes.get() == 1);
        stream.close();
        stream.close();
        assertEquals(1, closeActions.get());
        Thread.sleep(50);
        assertEquals(1, connection.closes.get());
    }

    @Test
    void closeAfterWritesTheLastFrameInsteadOfWhatWasQueuedThenCloses() {
        Queue<Runnable> tasks = new ArrayDeque<>(); // the writer pool, run by hand
        ClientStream stream = new ClientStream(connection, tasks::add, 100);
        connection.attach(stream);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        stream.send(frame("queued;"));
        stream.closeAfter(frame("last;"));
        assertTrue(stream.isClosed());
        assertEquals(1, closeActions.get()); // it left its channels at once
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
        assertEquals("last;", connection.received());
        assertEquals(1, connection.closes.get());
    }

    @Test
    void aClientThatIsNotReadingIsClosedWithoutItsLastFrame() throws Exception {
        connection.ready = () -> false;
        ClientStream stream = stream(100);
        stream.send(frame("stuck;"));
        await(() -> !connection.ready.getAsBoolean());
        Thread.sleep(50); // the writer has met the full connection and waits for the container
        stream.closeAfter(frame("last;"));
        await(() -> connection.closes.get() == 1);
        assertEquals("", connection.received());
    }

    @Test
    void aStreamWaitingOnAFullConnectionLongerThanTheWriteTimeoutIsClosed() throws Exception {
        connection.ready = () -> false;
        ClientStream stream = stream(100);
        stream.send(frame("stuck;"));
        Thread.sleep(50); // the writer meets the full connection
        stream.closeIfStalled(System.nanoTime(), TimeUnit.SECONDS.toNanos(30));
        assertFalse(stream.isClosed());
        stream.closeIfStalled(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(20));
        assertTrue(stream.isClosed());
        await(() -> connection.closes.get() == 1);
    }

    @Test
    void aStreamThatIsNotWaitingIsNeverTimedOut() throws Exception {
        ClientStream stream = stream(100);
        stream.send(frame("sent;"));
        await(() -> connection.received().equals("sent;"));
        stream.closeIfStalled(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 0);
        assertFalse(stream.isClosed());
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
    void keepAliveWritesACommentOnlyToAStreamThatWasIdleLongEnough() throws Exception {
        ClientStream stream = stream(10);
        stream.keepAlive(System.nanoTime(), TimeUnit.HOURS.toNanos(1));
        Thread.sleep(50);
        assertEquals("", connection.received());
        stream.keepAlive(System.nanoTime(), 0);
        await(() -> connection.received().equals(":\n\n"));
        stream.send(frame("event;"));
        await(() -> connection.received().endsWith("event;"));
        stream.keepAlive(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(500)); // it just wrote
        Thread.sleep(50);
        assertEquals(List.of(":\n\n", "event;"), connection.flushed);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(2); // the writers run on their own threads: poll for what they did
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }
}
