package io.eventstream.subscribe;

import io.eventstream.event.Event;
import io.eventstream.history.EventHistory;
import io.eventstream.history.Replay;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the topic meets the clients: each event is retained in the history and broadcast, and each new
 * subscription is replayed from the history and joined to the broadcasters.
 *
 * <p>Both happen under one lock, so a resuming client gets every event exactly once: either in its replay
 * (retained before it joined) or live (broadcast after). Nothing slow runs under the lock: sending to a
 * client only enqueues.
 */
@ApplicationScoped
public class Delivery {

    @Inject
    ClientStreams streams;

    @Inject
    ChannelBroadcasters broadcasters;

    @Inject
    @ConfigProperty(name = "eventstream.history.size", defaultValue = "1000")
    int historySize;

    @Inject
    @ConfigProperty(name = "eventstream.history.max-age", defaultValue = "PT24H")
    Duration historyMaxAge;

    @Inject
    @ConfigProperty(name = "eventstream.history.total", defaultValue = "100000")
    int historyTotal;

    private final Object lock = new Object();
    private EventHistory history;
    private final Map<ClientStream, Subscriber> subscribers = new ConcurrentHashMap<>();

    private record Subscriber(List<String> channels, Sse sse) {
    }

    @PostConstruct
    void createHistory() {
        history = new EventHistory(historySize, historyMaxAge, historyTotal, Clock.systemUTC());
    }

    /** Retains and broadcasts an event from the topic; called by the node's single topic listener. */
    public void deliver(Event event) {
        synchronized (lock) {
            history.append(event);
            broadcasters.dispatch(event);
        }
    }

    /**
     * Opens a stream on the subscription's channels: {@code stream-open}, then {@code stream-reset} for channels
     * that cannot be resumed, then the missed events, then live.
     *
     * @param lastEventId the id of the last event the client saw, or null for a new client
     */
    void subscribe(Subscription subscription, String lastEventId, SseEventSink sink, Sse sse) {
        synchronized (lock) {
            Replay replay = history.replay(lastEventId, subscription.channels());
            // stream-open is written before any reset and replay: a client cut off right after it must resume
            // from where it was, so it carries the newest position only when there is nothing else to send.
            boolean upToDate = replay.events().isEmpty() && replay.resetChannels().isEmpty();
            ClientStream stream = streams.open(sink, sse, upToDate ? replay.latestId() : lastEventId);
            if (!replay.resetChannels().isEmpty()) {
                stream.send(SseEvents.streamReset(sse, replay.resetChannels()));
            }
            stream.replay(replay.events().stream().map(event -> SseEvents.of(sse, event)).toList());
            for (String channel : subscription.channels()) {
                broadcasters.join(channel, stream, sse);
            }
            List<String> channels = subscription.channels();
            subscribers.put(stream, new Subscriber(channels, sse));
            stream.onClose(() -> {
                subscribers.remove(stream);
                channels.forEach(channel -> broadcasters.leave(channel, stream));
            });
        }
    }

    /**
     * Events may have been published that this node never received (its broker connection was lost): every
     * open stream gets {@code stream-reset} for all its channels, and no earlier position resumes any more.
     */
    public void gap() {
        synchronized (lock) {
            history.gap();
            subscribers.forEach((stream, subscriber) ->
                    stream.send(SseEvents.streamReset(subscriber.sse(), subscriber.channels())));
        }
    }

    /** Events retained on this node. */
    public int retained() {
        synchronized (lock) {
            return history.size();
        }
    }
}
