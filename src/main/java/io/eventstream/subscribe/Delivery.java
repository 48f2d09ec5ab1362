package io.eventstream.subscribe;

import io.eventstream.access.AccessPolicy;
import io.eventstream.access.AccessRefusedException;
import io.eventstream.access.Reader;
import io.eventstream.broker.PermissionChange;
import io.eventstream.event.Event;
import io.eventstream.history.EventHistory;
import io.eventstream.history.Replay;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
    @Inject
    AccessPolicy access;

    @Inject
    @ConfigProperty(name = "eventstream.connections.max", defaultValue = "10000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "eventstream.connections.max-per-user", defaultValue = "50")
    int maxConnectionsPerUser;

    private final Map<ClientStream, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Integer> streamsPerUser = new ConcurrentHashMap<>();

    private record Subscriber(List<String> channels, Reader reader) {
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
     * that cannot be resumed, then the missed events, then live. The caller has checked that {@code reader} may
     * read them; this checks the connection limits ({@code 429}) before it opens the connection.
     *
     * @param lastEventId the id of the last event the client saw, or null for a new client
     * @param connect     opens the connection: called once the request is accepted, and only then
     */
    void subscribe(Subscription subscription, String lastEventId, Reader reader, Supplier<Connection> connect) {
        synchronized (lock) {
            requireRoomFor(reader);
            Replay replay = history.replay(lastEventId, subscription.channels());
            // stream-open is written before any reset and replay: a client cut off right after it must resume
            // from where it was, so it carries the newest position only when there is nothing else to send.
            boolean upToDate = replay.events().isEmpty() && replay.resetChannels().isEmpty();
            ClientStream stream = streams.open(connect.get(), upToDate ? replay.latestId() : lastEventId);
            if (!replay.resetChannels().isEmpty()) {
                stream.send(SseFrames.streamReset(replay.resetChannels()));
            }
            stream.replay(replay.events().stream().map(SseFrames::of).toList());
            for (String channel : subscription.channels()) {
                broadcasters.join(channel, stream);
            }
            List<String> channels = subscription.channels();
            subscribers.put(stream, new Subscriber(channels, reader));
            if (reader.user() != null) {
                streamsPerUser.merge(reader.user(), 1, Integer::sum);
            }
            ScheduledFuture<?> expiry = scheduleExpiry(stream, reader);
            stream.onClose(() -> {
                subscribers.remove(stream);
                if (reader.user() != null) {
                    streamsPerUser.computeIfPresent(reader.user(), (user, count) -> count > 1 ? count - 1 : null);
                }
                channels.forEach(channel -> broadcasters.leave(channel, stream));
                if (expiry != null) {
                    expiry.cancel(false);
                }
            });
        }
    }

    private void requireRoomFor(Reader reader) {
        if (subscribers.size() >= maxConnections) {
            throw new AccessRefusedException(429, "this node holds its maximum of " + maxConnections
                    + " streams (eventstream.connections.max); try again later or another node");
        }
        if (reader.user() != null && streamsPerUser.getOrDefault(reader.user(), 0) >= maxConnectionsPerUser) {
            throw new AccessRefusedException(429, "'" + reader.user() + "' already has " + maxConnectionsPerUser
                    + " streams open on this node (eventstream.connections.max-per-user)");
        }
    }

    // A stream read with a token that expires ends when the token does, as if access had been revoked.
    private ScheduledFuture<?> scheduleExpiry(ClientStream stream, Reader reader) {
        if (reader.token() == null || reader.token().expiresAt() == null) {
            return null;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), reader.token().expiresAt()).toMillis());
        return streams.scheduler().schedule(() -> stream.closeAfter(
                SseFrames.streamError("unauthorized", "the subscriber token expired: reconnect with a new one")),
                delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Re-asks the access policy for {@code change.user()}'s open streams (on {@code change.channel()}, or on all
     * of their channels) and ends those that lost access with {@code stream-error} {@code forbidden}.
     */
    public void permissionChanged(PermissionChange change) {
        subscribers.forEach((stream, subscriber) -> {
            if (!change.user().equals(subscriber.reader().user())
                    || (change.channel() != null && !subscriber.channels().contains(change.channel()))) {
                return;
            }
            List<String> lost = subscriber.channels().stream()
                    .filter(channel -> !access.canRead(subscriber.reader(), channel)).toList();
            if (!lost.isEmpty()) {
                stream.closeAfter(SseFrames.streamError("forbidden",
                        "no longer allowed to read " + String.join(", ", lost)));
            }
        });
    }

    /**
     * Events may have been published that this node never received (its broker connection was lost): every
     * open stream gets {@code stream-reset} for all its channels, and no earlier position resumes any more.
     */
    public void gap() {
        synchronized (lock) {
            history.gap();
            subscribers.forEach((stream, subscriber) ->
                    stream.send(SseFrames.streamReset(subscriber.channels())));
        }
    }

    /** Events retained on this node. */
    public int retained() {
        synchronized (lock) {
            return history.size();
        }
    }
}
