package io.eventstream.adapter.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.stream.SseFrames;
import io.eventstream.core.stream.SseStream;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream on a sink connection, driven by hand: the writer pool is a queue of tasks this test runs, and a held send
 * completes when the test says.
 */
class SinkConnectionTest {

    private final Queue<Runnable> writerTasks = new ArrayDeque<>();
    private final Executor writers = writerTasks::add;
    private final RecordingSink sink = new RecordingSink();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final SinkConnection connection = new SinkConnection(sink, failures::add);
    private final SseStream stream = new SseStream(connection, writers, 100, "channels test");

    SinkConnectionTest() {
        connection.attach(stream);
    }

    private void runWriters() {
        Runnable task;
        while ((task = writerTasks.poll()) != null) {
            task.run();
        }
    }

    private static byte[] event(String id, String data) {
        return SseFrames.of(new ChannelEvent(id, "prices", "tick", data));
    }

    private List<String> seen() {
        return sink.sent.stream().map(RecordingSink::seen).toList();
    }

    @Test
    void sendsEachFrameAsOneTextEventWithItsIdNameAndData() {
        stream.send(event("1", "{\"p\":1}"));
        stream.send(event("2", "\"two\""));
        runWriters();

        assertEquals(List.of("tick@1:{\"p\":1}", "tick@2:\"two\""), seen());
        OutboundSseEvent first = sink.sent.get(0);
        assertSame(String.class, first.getType());
        assertEquals(MediaType.TEXT_PLAIN_TYPE, first.getMediaType());
        assertNull(first.getComment());
        assertFalse(first.isReconnectDelaySet());
    }

    @Test
    void dataOnSeveralLinesArrivesJoinedWithLineBreaks() {
        stream.send(event("1", "first\nsecond\r\nthird"));
        runWriters();

        assertEquals(List.of("tick@1:first\nsecond\nthird"), seen());
    }

    @Test
    void streamOpenIsNotSentAndKeepAliveIsACommentWithoutData() {
        stream.send(SseFrames.streamOpen(3000, "0"));
        stream.send(":\n\n".getBytes(StandardCharsets.US_ASCII)); // the keep-alive frame
        stream.send(SseFrames.streamReset(List.of("prices")));
        runWriters();

        assertEquals(2, sink.sent.size(), "sent: " + sink.sent);
        OutboundSseEvent keepAlive = sink.sent.get(0);
        assertEquals("", keepAlive.getComment());
        assertNull(keepAlive.getType(), "a container writes the comment line alone only when the type is null");
        assertNull(keepAlive.getData());
        assertNull(keepAlive.getName());
        assertEquals("stream-reset:{\"channels\":[\"prices\"]}", RecordingSink.seen(sink.sent.get(1)));
    }

    @Test
    void theNextEventWaitsUntilTheSinkHasCompletedTheLastSend() {
        sink.answer = RecordingSink.Answer.HELD;
        stream.send(event("1", "1"));
        stream.send(event("2", "2"));
        stream.send(event("3", "3"));
        runWriters();
        assertEquals(1, sink.sent.size(), "one send in flight at a time");
        assertFalse(connection.isReady());

        sink.complete(); // the container's thread: the stream drains on it, as on a servlet write callback
        assertEquals(2, sink.sent.size());
        sink.answer = RecordingSink.Answer.SENT;
        sink.complete();
        runWriters();
        assertEquals(List.of("tick@1:1", "tick@2:2", "tick@3:3"), seen());
        assertTrue(connection.isReady());
        assertFalse(stream.isClosed());
    }

    @ParameterizedTest
    @EnumSource(value = RecordingSink.Answer.class, names = {"COMPLETED_WITH_EXCEPTION", "FAILED_STAGE", "THROWS"})
    void aFailedSendIsReportedOnceAndClosesTheStreamAndTheSink(RecordingSink.Answer failing) {
        sink.answer = failing;
        stream.send(event("1", "1"));
        stream.send(event("2", "2"));
        runWriters();

        assertEquals(1, sink.sent.size(), "nothing is sent after a failure");
        assertEquals(1, failures.size(), "failures: " + failures);
        if (failing == RecordingSink.Answer.THROWS) {
            assertInstanceOf(IllegalStateException.class, failures.get(0));
        } else {
            assertSame(sink.failure, failures.get(0));
        }
        assertTrue(stream.isClosed());
        assertEquals(1, sink.closes.get());
    }

    @Test
    void aHeldSendThatFailsLaterClosesTheStreamAndTheSink() {
        sink.answer = RecordingSink.Answer.HELD;
        stream.send(event("1", "1"));
        stream.send(event("2", "2"));
        runWriters();

        sink.held.remove().completeExceptionally(sink.failure);
        runWriters();
        assertEquals(List.of(sink.failure), failures);
        assertTrue(stream.isClosed());
        assertEquals(1, sink.closes.get());
        assertEquals(1, sink.sent.size());
    }

    @Test
    void aSinkClosedByTheClientOrTheApplicationEndsTheStreamWithoutAFailure() {
        stream.send(event("1", "1"));
        runWriters();
        sink.closed = true;
        stream.send(event("2", "2"));
        runWriters();

        assertEquals(List.of("tick@1:1"), seen());
        assertTrue(stream.isClosed());
        assertEquals(List.of(), failures);
    }

    @Test
    void aReleasedStreamEndsButLeavesTheSinkOpen() {
        connection.release();
        runWriters();

        assertTrue(stream.isClosed());
        assertTrue(connection.released());
        assertEquals(0, sink.closes.get());
    }

    @Test
    void aSinkThatThrowsWhenClosedDoesNotPassTheExceptionOn() {
        SinkConnection throwing = new SinkConnection(new RecordingSink() {
            @Override
            public void close() {
                throw new IllegalStateException("already gone");
            }
        }, failures::add);
        throwing.close(); // logged at FINE, nothing thrown
        assertEquals(List.of(), failures);
    }
}
