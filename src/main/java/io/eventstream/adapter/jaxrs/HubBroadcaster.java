package io.eventstream.adapter.jaxrs;

import io.eventstream.api.EventSender;
import io.eventstream.core.access.Caller;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.stream.SseStream;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JAX-RS broadcaster of one channel on this node: each registered sink is a stream of the hub, and a broadcast is
 * a publish through the topic.
 */
final class HubBroadcaster implements SseBroadcaster {

    private static final Logger LOG = Logger.getLogger(HubBroadcaster.class.getName());

    private static final int OPEN = 0;
    private static final int CLOSED = 1; // close() or close(true): the sinks were closed
    private static final int RELEASED = 2; // close(false): the sinks were left open

    private final String channel;
    private final ChannelSelection selection;
    private final Hub hub;
    private final Admission admission;
    private final EventSender events;
    private final Consumer<HubBroadcaster> whenClosed;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final Map<SseEventSink, SinkConnection> sinks = new ConcurrentHashMap<>();
    private final List<BiConsumer<SseEventSink, Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SseEventSink>> closeListeners = new CopyOnWriteArrayList<>();

    /**
     * @param selection  the channel, validated
     * @param whenClosed told once, when the broadcaster closes
     */
    HubBroadcaster(ChannelSelection selection, Hub hub, Admission admission, EventSender events,
            Consumer<HubBroadcaster> whenClosed) {
        this.selection = selection;
        this.channel = selection.channels().get(0);
        this.hub = hub;
        this.admission = admission;
        this.events = events;
        this.whenClosed = whenClosed;
    }

    @Override
    public void onError(BiConsumer<SseEventSink, Throwable> listener) {
        requireOpen();
        errorListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void onClose(Consumer<SseEventSink> listener) {
        requireOpen();
        closeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Registers {@code sink} for the channel's live events; registering a sink again does nothing. */
    @Override
    public void register(SseEventSink sink) {
        if (!register(sink, null)) {
            throw closed();
        }
    }

    /**
     * Registers {@code sink} for the channel's events after {@code lastEventId} (validated), or for live events when
     * it is null; see {@code Channels.register}.
     *
     * @return false, with nothing done, when the broadcaster is closed
     */
    boolean register(SseEventSink sink, String lastEventId) {
        Objects.requireNonNull(sink, "sink");
        if (isClosed()) {
            return false;
        }
        SinkConnection connection = new SinkConnection(sink, failure -> failed(sink, failure));
        if (sinks.putIfAbsent(sink, connection) != null) {
            return true;
        }
        SseStream stream;
        try {
            stream = admission.open(Caller.ANONYMOUS, selection.channels(), "SSE sink, " + selection.label(), () -> connection);
        } catch (RuntimeException e) {
            sinks.remove(sink, connection); // not admitted: the sink is the application's again, untouched
            throw e;
        }
        stream.onClose(() -> left(sink, connection));
        try {
            hub.subscribe(stream, selection, lastEventId);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        // A close() that ran meanwhile may have missed this sink: it set the state before it looked at the sinks, and
        // the sink was put, and its stream attached, before the state is read here; so one of the two ends it.
        int now = state.get();
        if (now == CLOSED) {
            connection.end();
        } else if (now == RELEASED) {
            connection.release();
        }
        return true;
    }

    /**
     * Publishes {@code event} on the channel through the topic: every node's subscribers of the channel get it (this
     * broadcaster's sinks among them), with an id the hub assigns. Its name is the event type ({@code message} when
     * null); its data is serialized to JSON with JSON-B (a {@code String} becomes a JSON string); its comment,
     * reconnect delay and media type are not sent.
     *
     * @return completes with the event's id once the broker has accepted it (not once the sinks have it), or
     *         exceptionally with an {@code EventStreamException} {@code unavailable} when it did not
     * @throws IllegalArgumentException when the event sets an id: the hub assigns ids, a publisher cannot forge them
     * @throws io.eventstream.api.EventStreamException {@code bad-request} or {@code too-large} for a name or data the
     *                                                 hub refuses, nothing published
     */
    @Override
    public CompletionStage<String> broadcast(OutboundSseEvent event) {
        Objects.requireNonNull(event, "event");
        requireOpen();
        if (event.getId() != null) {
            throw new IllegalArgumentException("the event sets id '" + event.getId() + "': the hub assigns every"
                    + " event's id when it publishes it, so that clients resume exactly; publishers cannot set one");
        }
        return events.sendAsync(channel, event.getName() == null ? "message" : event.getName(), event.getData());
    }

    /** Closes the broadcaster and every sink registered on it; a second call does nothing. */
    @Override
    public void close() {
        close(true);
    }

    /**
     * Closes the broadcaster; its sinks are closed when {@code cascading}, otherwise left open (they get no more
     * events from it). A second call does nothing.
     */
    @Override
    public void close(boolean cascading) {
        if (!state.compareAndSet(OPEN, cascading ? CLOSED : RELEASED)) {
            return;
        }
        whenClosed.accept(this);
        for (SinkConnection connection : sinks.values()) {
            if (cascading) {
                connection.end();
            } else {
                connection.release();
            }
        }
    }

    /** Whether it is closed. */
    boolean isClosed() {
        return state.get() != OPEN;
    }

    /** Sinks registered and open. */
    int size() {
        return sinks.size();
    }

    // The stream's close action: the client left, a send failed, it fell behind, or the broadcaster was closed.
    private void left(SseEventSink sink, SinkConnection connection) {
        sinks.remove(sink, connection);
        if (connection.released()) {
            return; // the sink is open: the application has it back
        }
        for (Consumer<SseEventSink> listener : closeListeners) {
            try {
                listener.accept(sink);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "eventstream: an onClose listener of channel " + channel + "'s broadcaster failed", e);
            }
        }
    }

    private void failed(SseEventSink sink, Throwable failure) {
        LOG.log(Level.FINE, failure, () -> "eventstream: sending to an SSE sink of channel " + channel + " failed; dropping it");
        for (BiConsumer<SseEventSink, Throwable> listener : errorListeners) {
            try {
                listener.accept(sink, failure);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "eventstream: an onError listener of channel " + channel + "'s broadcaster failed", e);
            }
        }
    }

    private void requireOpen() {
        if (isClosed()) {
            throw closed();
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException("the broadcaster of channel " + channel + " is closed;"
                + " Channels.broadcaster(\"" + channel + "\") gives a new one");
    }
}
