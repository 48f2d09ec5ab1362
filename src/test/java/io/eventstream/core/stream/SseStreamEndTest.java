package io.eventstream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventstream.api.Refusal;
import io.eventstream.core.event.ChannelEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * What a stream reports once it has ended: why (the first reason given), and the events and bytes that reached its
 * client; and the node's count of delivered events. The writer pool is a queue of tasks the test runs.
 */
class SseStreamEndTest {

    private final Queue<Runnable> writerTasks = new ArrayDeque<>();
    private final Executor writers = writerTasks::add;
    private final FakeConnection connection = new FakeConnection();
    private final LongAdder delivered = new LongAdder();
    private final List<StreamSummary> reports = new CopyOnWriteArrayList<>();

    private SseStream stream(int capacity, Executor pool) {
        SseStream stream = new SseStream(connection, pool, capacity, "channels test", delivered, reports::add);
        connection.attach(stream);
        return stream;
    }

    private SseStream stream(int capacity) {
        return stream(capacity, writers);
    }

    private void runWriters() {
        Runnable task;
        while ((task = writerTasks.poll()) != null) {
            task.run();
        }
    }

    private static byte[] event(String id) {
        return SseFrames.of(new ChannelEvent(id, "news", "message", "{}"));
    }

    private StreamSummary theOneReport() {
        assertEquals(1, reports.size(), "reports: " + reports);
        return reports.get(0);
    }

    @Test
    void countsTheEventsAndBytesThatReachedTheClientButNotCommentsOrControlEvents() {
        SseStream stream = stream(100);
        stream.send(SseFrames.streamOpen(3000, "e0"));
        stream.send(event("e1"));
        stream.send(SseFrames.streamReset(List.of("news")));
        stream.send(SseFrames.of("tick", "{}")); // a custom stream's event: no id, still an event
        runWriters();
        stream.send(SseFrames.COMMENT);
        runWriters();
        stream.close();
        runWriters();
        StreamSummary summary = theOneReport();
        assertEquals(StreamEnd.CLOSED, summary.why());
        assertEquals(2, summary.events());
        assertEquals(connection.received().getBytes(StandardCharsets.UTF_8).length, summary.bytes());
        assertEquals(2, delivered.sum());
    }

    @Test
    void aClientThatLeftIsReportedOnceWithWhatWasFlushedBeforeIt() {
        SseStream stream = stream(100);
        stream.send(event("e1"));
        runWriters();
        connection.failing = true;
        stream.send(event("e2"));
        runWriters();
        stream.close();
        stream.close(StreamEnd.SERVER_STOPPING);
        runWriters();
        StreamSummary summary = theOneReport();
        assertEquals(StreamEnd.CLIENT_LEFT, summary.why());
        assertEquals(1, summary.events());
        assertEquals(1, delivered.sum());
        assertEquals(1, connection.closes.get());
    }

    @Test
    void aClientThatFellBehindItsBufferIsReportedAsSlow() {
        connection.ready = () -> false;
        SseStream stream = stream(1);
        stream.send(event("e1"));
        runWriters(); // waits on the full connection, e1 taken from the queue
        stream.send(event("e2"));
        stream.send(event("e3")); // over the buffer of one
        runWriters();
        assertEquals(StreamEnd.SLOW, theOneReport().why());
        assertEquals(0, theOneReport().events());
    }

    @Test
    void aClientThatReadNothingForTheWriteTimeoutIsReportedAsSuch() {
        connection.ready = () -> false;
        SseStream stream = stream(100);
        stream.send(event("e1"));
        runWriters();
        stream.closeIfStalled(System.nanoTime() + TimeUnit.SECONDS.toNanos(1), 0);
        runWriters();
        assertEquals(StreamEnd.WRITE_TIMEOUT, theOneReport().why());
    }

    @Test
    void theFirstReasonGivenIsTheOneReported() {
        SseStream stream = stream(100);
        stream.closeAfter(SseFrames.streamError(Refusal.FORBIDDEN, "no longer allowed to read news"), StreamEnd.REVOKED);
        stream.close(StreamEnd.CLIENT_LEFT);
        runWriters();
        StreamSummary summary = theOneReport();
        assertEquals(StreamEnd.REVOKED, summary.why());
        assertEquals(0, summary.events()); // stream-error is the hub's, not an event
    }

    @Test
    void aLastFrameWrittenBeforeTheCloseIsCounted() {
        SseStream stream = stream(100);
        stream.closeAfter(event("e1"), StreamEnd.EXPIRED);
        runWriters();
        assertEquals(StreamEnd.EXPIRED, theOneReport().why());
        assertEquals(1, theOneReport().events());
    }

    @Test
    void whenTheWriterPoolIsGoneTheEndIsReportedOnTheSendersThread() {
        SseStream stream = stream(10, task -> {
            throw new RejectedExecutionException("shut down");
        });
        stream.send(event("e1"));
        assertEquals(StreamEnd.SERVER_STOPPING, theOneReport().why());
        assertEquals(1, connection.closes.get());
    }

    @Test
    void aStreamClosedWhileIdleIsReportedByTheWriterItHandsTheCloseTo() {
        SseStream stream = stream(10);
        stream.close(StreamEnd.SERVER_STOPPING);
        assertEquals(List.of(), reports); // the connection closes on a writer, never on the closing thread
        runWriters();
        assertEquals(StreamEnd.SERVER_STOPPING, theOneReport().why());
    }
}
