package io.eventstream.subscribe;

import io.eventstream.event.Event;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The JAX-RS broadcaster of one channel: hands each event to every registered sink, in order.
 *
 * <p>Unlike the container's broadcaster it delivers synchronously on the caller's thread, which is what keeps
 * events of several channels in publish order on a connection that reads them all; sinks are
 * {@link ClientStream}s that only enqueue, so no client can slow the broadcast. One failing sink never fails
 * the broadcast, and a sink is removed exactly once.
 */
final class ChannelBroadcaster implements SseBroadcaster {

    private final String channel;
    private final Sse sse;
    private final Set<SseEventSink> sinks = ConcurrentHashMap.newKeySet();
    private final List<BiConsumer<SseEventSink, Throwable>> errorHandlers = new CopyOnWriteArrayList<>();
    private final List<Consumer<SseEventSink>> closeHandlers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ChannelBroadcaster(String channel, Sse sse) {
        this.channel = channel;
        this.sse = sse;
    }

    /** Builds the SSE event once for all subscribers of the channel and broadcasts it. */
    void send(Event event) {
        broadcast(SseEvents.of(sse, event));
    }

    @Override
    public CompletionStage<?> broadcast(OutboundSseEvent event) {
        for (SseEventSink sink : sinks) {
            if (sink.isClosed()) {
                removeClosed(sink);
                continue;
            }
            try {
                sink.send(event).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        removeFailed(sink, failure);
                    }
                });
            } catch (RuntimeException e) {
                removeFailed(sink, e);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void register(SseEventSink sink) {
        if (closed) {
            throw new IllegalStateException("broadcaster of channel '" + channel + "' is closed");
        }
        sinks.add(sink);
    }

    /** Removes a sink that left; returns true when the channel has no subscriber left. */
    boolean unregister(SseEventSink sink) {
        sinks.remove(sink);
        return sinks.isEmpty();
    }

    int size() {
        return sinks.size();
    }

    private void removeClosed(SseEventSink sink) {
        if (sinks.remove(sink)) {
            closeHandlers.forEach(handler -> handler.accept(sink));
        }
    }

    private void removeFailed(SseEventSink sink, Throwable failure) {
        if (sinks.remove(sink)) {
            errorHandlers.forEach(handler -> handler.accept(sink, failure));
        }
    }

    @Override
    public void onError(BiConsumer<SseEventSink, Throwable> onError) {
        errorHandlers.add(onError);
    }

    @Override
    public void onClose(Consumer<SseEventSink> onClose) {
        closeHandlers.add(onClose);
    }

    /** Closes the broadcaster and every remaining sink; safe to call twice. */
    @Override
    public void close() {
        close(true);
    }

    /** Closes the broadcaster, and its remaining sinks when {@code cascading}; safe to call twice. */
    @Override
    public void close(boolean cascading) {
        if (closed) {
            return;
        }
        closed = true;
        for (SseEventSink sink : sinks) {
            if (sinks.remove(sink)) {
                if (cascading) {
                    sink.close();
                }
                closeHandlers.forEach(handler -> handler.accept(sink));
            }
        }
    }
}
