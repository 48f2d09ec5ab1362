package io.eventstream.adapter.jaxrs;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application's {@code SseEventSink}, as a container gives one: records what it was sent, and fails its sends the
 * ways containers do when told to.
 */
class RecordingSink implements SseEventSink {

    /** How {@link #send} answers. */
    enum Answer {
        /** A completed stage. */
        SENT,
        /** A stage this sink holds until {@link #complete()}, like a send waiting for a slow client. */
        HELD,
        /** Jersey's way of failing: a stage completed normally with the IOException as its value. */
        COMPLETED_WITH_EXCEPTION,
        /** RESTEasy's way: a stage completed exceptionally. */
        FAILED_STAGE,
        /** send itself throws. */
        THROWS
    }

    /** Everything sent, comments included, in order. */
    final List<OutboundSseEvent> sent = new CopyOnWriteArrayList<>();
    /** The events sent (comments left out), for the test to take in order. */
    final BlockingQueue<OutboundSseEvent> events = new LinkedBlockingQueue<>();
    final Queue<CompletableFuture<Object>> held = new ConcurrentLinkedQueue<>();
    final AtomicInteger closes = new AtomicInteger();
    volatile Answer answer = Answer.SENT;
    volatile boolean closed;
    final IOException failure = new IOException("broken pipe");

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        sent.add(event);
        if (event.getComment() == null) {
            events.add(event);
        }
        return switch (answer) {
            case SENT -> CompletableFuture.completedFuture(null);
            case HELD -> {
                CompletableFuture<Object> stage = new CompletableFuture<>();
                held.add(stage);
                yield stage;
            }
            case COMPLETED_WITH_EXCEPTION -> CompletableFuture.completedFuture(failure);
            case FAILED_STAGE -> CompletableFuture.failedFuture(failure);
            case THROWS -> throw new IllegalStateException("the container's sink broke");
        };
    }

    @Override
    public void close() {
        closed = true;
        closes.incrementAndGet();
    }

    /** Completes the oldest held send. */
    void complete() {
        held.remove().complete(null);
    }

    /** The next event sent, waiting for it within a bound. */
    OutboundSseEvent next() throws InterruptedException {
        OutboundSseEvent event = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(event, "no event within 10 s; received: " + sent);
        return event;
    }

    /** The next event sent, as {@code name@id:data}. */
    String nextSeen() throws InterruptedException {
        return seen(next());
    }

    static String seen(OutboundSseEvent event) {
        return event.getName() + (event.getId() == null ? "" : "@" + event.getId()) + ":" + event.getData();
    }
}
