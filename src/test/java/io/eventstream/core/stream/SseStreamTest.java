package io.eventstream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The stream's state machine, driven by hand: the writer pool is a queue of tasks this test runs, and the
 * container's callback comes when the test says. One test runs real threads, to race the callback with sends.
 */
class SseStreamTest {

    private final Queue<Runnable> writerTasks = new ArrayDeque<>();
    private final Executor writers = writerTasks::add;
    private final FakeConnection connection = new FakeConnection();

    private SseStream stream(int capacity) {
        SseStream stream = new SseStream(connection, writers, capacity, "channels test");
        connection.attach(stream);
        return stream;
    }

    /** Runs what the writer pool was given, and what that gave it, until nothing is left. */
    private void runWriters() {
        Runnable task;
        while ((task = writerTasks.poll()) != null) {
            task.run();
        }
    }

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesFramesInTheOrderTheyWereSent() {
        SseStream stream = stream(10_000);
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            sent.append(i).append(';');
            stream.send(frame(i + ";"));
        }
        assertEquals(1, writerTasks.size(), "one writer task for the whole burst");
        runWriters();
        assertEquals(sent.toString(), connection.received());
    }

    @Test
    void framesThatWaitedForAFullConnectionGoOutInOneFlush() {
        connection.ready = () -> false; // the client's socket is full
        SseStream stream = stream(1000);
        for (int i = 0; i < 100; i++) {
            stream.send(frame("e" + i + ";"));
        }
        runWriters(); // the writer meets the full connection and leaves the stream to the container's callback
        assertTrue(connection.flushed.isEmpty());
        assertTrue(writerTasks.isEmpty());
        connection.release(); // the callback drains on the container's thread
        assertEquals(1, connection.flushed.size(), "flushes: " + connection.flushed);
        assertTrue(connection.received().startsWith("e0;e1;e2;") && connection.received().endsWith("e99;"));
    }

    @Test
    void aCallbackBetweenIsReadyAndWaitingIsNotLost() {
        // The container calls back after it answered isReady() with no but before the writer parked: the writer must
        // see the callback and go on, or the stream waits for a callback that already came.
        SseStream stream = stream(100);
        AtomicInteger asked = new AtomicInteger();
        connection.ready = () -> {
            if (asked.getAndIncrement() == 0) {
                stream.writePossible(); // from "another thread", in the window
                return false;
            }
            return true;
        };
        stream.send(frame("a;"));
        stream.send(frame("b;"));
        runWriters();
        assertEquals("a;b;", connection.received());
    }

    @Test
    void noFrameIsLostOrRepeatedWhileTheConnectionKeepsFillingUp() throws Exception {
        // Real threads: the container's callback races with new sends; isReady refuses at random and the callback
        // comes from another thread after a random pause, as a selector thread would.
        ExecutorService pool = Executors.newFixedThreadPool(2);
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
            SseStream stream = new SseStream(connection, pool, 100_000, "channels test");
            connection.attach(stream);
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                sent.append(i).append(';');
                assertTrue(stream.send(frame(i + ";")));
                if (i % 500 == 0) {
                    int upTo = sent.length();
                    await(() -> connection.received().length() >= upTo); // the writer catches up and goes idle
                }
            }
            await(() -> connection.received().length() >= sent.length());
            assertEquals(sent.toString(), connection.received());
            assertTrue(refusals.get() > 10, "the connection refused only " + refusals.get() + " times");
        } finally {
            container.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void aClientThatFallsBehindItsBufferIsClosedOnceWithoutBlockingTheSender() {
        connection.ready = () -> false; // the client stopped reading
        SseStream stream = stream(3);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        for (int i = 0; i < 100; i++) {
            stream.send(frame("e" + i));
        }
        assertTrue(stream.isClosed());
        assertEquals(1, closeActions.get());
        assertFalse(stream.send(frame("late")));
        runWriters();
        assertEquals(1, connection.closes.get());
        connection.release(); // a late callback from the container finds nothing to do
        runWriters();
        assertEquals(1, connection.closes.get());
        assertEquals("", connection.received());
    }

    @Test
    void aFailedWriteClosesTheStreamAndTheConnectionOnce() {
        connection.failing = true;
        SseStream stream = stream(10);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        stream.send(frame("e"));
        runWriters();
        assertEquals(1, connection.closes.get());
        stream.close();
        stream.close();
        runWriters();
        assertEquals(1, closeActions.get());
        assertEquals(1, connection.closes.get());
    }

    /** What the stream logged while {@code action} ran. */
    private static List<LogRecord> logged(Runnable action) {
        List<LogRecord> logged = new ArrayList<>();
        Handler handler = new Handler() {
            @Override public void publish(LogRecord record) { logged.add(record); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Logger logger = Logger.getLogger(SseStream.class.getName());
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return logged;
    }

    @Test
    void anUnexpectedFailureWhileWritingIsLoggedWithWhatTheStreamReads() {
        connection.ready = () -> {
            throw new IllegalStateException("a bug, not a disconnect");
        };
        SseStream stream = stream(10);
        List<LogRecord> logged = logged(() -> {
            stream.send(frame("e"));
            runWriters();
        });
        assertTrue(stream.isClosed());
        assertEquals(1, connection.closes.get());
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("channels test")
                && r.getThrown() instanceof IllegalStateException), "logged: " + logged);
    }

    @Test
    void aClosedWriteThatLooksLikeAClientLeavingIsNotLoggedAsAFault() {
        connection.failing = true; // an IOException: the client has gone
        SseStream stream = stream(10);
        List<LogRecord> logged = logged(() -> {
            stream.send(frame("e"));
            runWriters();
        });
        assertTrue(stream.isClosed());
        assertEquals(List.of(), logged);
    }

    @Test
    void closingWhileAWriterHoldsTheStreamLeavesTheConnectionToThatWriter() {
        SseStream stream = stream(10);
        stream.send(frame("queued;"));
        stream.close(); // the writer's task is queued: it holds the stream
        assertEquals(0, connection.closes.get());
        runWriters();
        assertEquals(1, connection.closes.get());
        assertEquals("", connection.received());
    }

    @Test
    void whenTheWriterPoolIsGoneAStreamIsClosedOnTheSendersThread() {
        SseStream stream = new SseStream(connection, task -> {
            throw new RejectedExecutionException("shut down");
        }, 10, "channels test");
        connection.attach(stream);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        assertTrue(stream.send(frame("e")));
        assertTrue(stream.isClosed());
        assertEquals(1, closeActions.get());
        assertEquals(1, connection.closes.get());
    }

    @Test
    void closeAfterWritesTheLastFrameInsteadOfWhatWasQueuedThenCloses() {
        SseStream stream = stream(100);
        AtomicInteger closeActions = new AtomicInteger();
        stream.onClose(closeActions::incrementAndGet);
        stream.send(frame("queued;"));
        stream.closeAfter(frame("last;"));
        assertTrue(stream.isClosed());
        assertEquals(1, closeActions.get()); // it left its channels at once
        runWriters();
        assertEquals("last;", connection.received());
        assertEquals(1, connection.closes.get());
    }

    @Test
    void aClientThatIsNotReadingIsClosedWithoutItsLastFrame() {
        connection.ready = () -> false;
        SseStream stream = stream(100);
        stream.send(frame("stuck;"));
        runWriters(); // the writer has met the full connection and waits for the container
        stream.closeAfter(frame("last;"));
        runWriters();
        assertEquals(1, connection.closes.get());
        assertEquals("", connection.received());
    }

    @Test
    void aStreamWaitingOnAFullConnectionLongerThanTheWriteTimeoutIsClosed() {
        connection.ready = () -> false;
        SseStream stream = stream(100);
        stream.send(frame("stuck;"));
        runWriters(); // the writer meets the full connection
        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        stream.closeIfStalled(later, TimeUnit.SECONDS.toNanos(30));
        assertFalse(stream.isClosed());
        stream.closeIfStalled(later, TimeUnit.MILLISECONDS.toNanos(20));
        assertTrue(stream.isClosed());
        runWriters();
        assertEquals(1, connection.closes.get());
    }

    @Test
    void aStreamThatIsNotWaitingIsNeverTimedOut() {
        SseStream stream = stream(100);
        stream.send(frame("sent;"));
        runWriters();
        assertEquals("sent;", connection.received());
        stream.closeIfStalled(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 0);
        assertFalse(stream.isClosed());
    }

    @Test
    void closeActionsAddedAfterCloseRunAtOnce() {
        SseStream stream = stream(10);
        stream.close();
        AtomicInteger ran = new AtomicInteger();
        stream.onClose(ran::incrementAndGet);
        assertEquals(1, ran.get());
    }

    @Test
    void keepAliveWritesACommentOnlyToAStreamThatWasIdleLongEnough() {
        SseStream stream = stream(10);
        stream.keepAlive(System.nanoTime(), TimeUnit.HOURS.toNanos(1));
        assertTrue(writerTasks.isEmpty());
        stream.keepAlive(System.nanoTime(), 0);
        runWriters();
        assertEquals(":\n\n", connection.received());
        stream.send(frame("event;"));
        runWriters();
        stream.keepAlive(System.nanoTime(), TimeUnit.MINUTES.toNanos(1)); // it just wrote
        assertTrue(writerTasks.isEmpty());
        assertEquals(List.of(":\n\n", "event;"), connection.flushed);
    }

    @Test
    void aReplayIsWrittenBeforeLiveFramesAndDoesNotCountAgainstTheLiveBuffer() {
        SseStream stream = stream(2);
        stream.replay(List.of(frame("r1;"), frame("r2;"), frame("r3;")));
        assertTrue(stream.send(frame("live1;")));
        assertTrue(stream.send(frame("live2;")));
        assertFalse(stream.isClosed());
        runWriters();
        assertEquals("r1;r2;r3;live1;live2;", connection.received());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }
}
