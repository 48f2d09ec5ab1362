package io.eventstream.subscribe;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A container sink that records what it was sent, can be made to fail, and can be held to act slow. */
final class RecordingSink implements SseEventSink {

    final List<String> written = new CopyOnWriteArrayList<>();
    volatile boolean failing;
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile int closes;

    static OutboundSseEvent event(String name) {
        return new Named(name);
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failing) {
            return CompletableFuture.failedFuture(new java.io.IOException("broken pipe"));
        }
        written.add(event.getName() == null ? ":" + event.getComment() : event.getName());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isClosed() {
        return closes > 0;
    }

    @Override
    public synchronized void close() {
        closes++;
    }

    private record Named(String name) implements OutboundSseEvent {
        @Override public Class<?> getType() { return String.class; }
        @Override public Type getGenericType() { return String.class; }
        @Override public MediaType getMediaType() { return MediaType.TEXT_PLAIN_TYPE; }
        @Override public String getId() { return null; }
        @Override public String getName() { return name; }
        @Override public String getComment() { return name == null ? "" : null; }
        @Override public long getReconnectDelay() { return -1; }
        @Override public boolean isReconnectDelaySet() { return false; }
        @Override public Object getData() { return "{}"; }
    }

}
