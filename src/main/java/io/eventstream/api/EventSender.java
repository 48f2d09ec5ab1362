package io.eventstream.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Publishes events to channels from Java code: {@code @Inject EventSender events; events.send("news", "message", data);}.
 *
 * <p>Every event goes through the broker's topic, so it reaches the subscribers of every node that shares the
 * broker, in the same order everywhere, with the id this method returns. When it returns, the broker has
 * accepted the event; when it throws, the event was not published. The {@code Async} forms return at once and
 * complete when the broker has accepted the event, so that one thread can keep many sends in flight; sends from
 * many threads share the broker's journal writes. Thread-safe.
 */
public interface EventSender {

    /**
     * Publishes {@code data}, serialized to JSON with JSON-B (a {@code jakarta.json.JsonValue} is sent as it is),
     * as an event of type {@code eventType}.
     *
     * @return the event's id, the one subscribers see and resume with
     * @throws EventStreamException {@link Refusal#BAD_REQUEST} for an invalid channel name or event type or data
     *                              that JSON-B cannot serialize, {@link Refusal#TOO_LARGE} for data over
     *                              {@code eventstream.event.max-bytes}, {@link Refusal#UNAVAILABLE} when the
     *                              broker is not up
     */
    String send(String channel, String eventType, Object data);

    /** Publishes {@code data} as an event of type {@code message}; see {@link #send(String, String, Object)}. */
    default String send(String channel, Object data) {
        return send(channel, "message", data);
    }

    /**
     * Publishes as {@link #send(String, String, Object)} does, without waiting for the broker. Events sent one
     * after the other from one thread keep their order.
     *
     * @return the event's id, once the broker has accepted the event; or an {@link EventStreamException}
     *         {@link Refusal#UNAVAILABLE} when it did not (not published)
     * @throws EventStreamException at once, nothing sent, for a bad channel name, event type or data
     *                              ({@link Refusal#BAD_REQUEST}, {@link Refusal#TOO_LARGE})
     */
    CompletionStage<String> sendAsync(String channel, String eventType, Object data);

    /**
     * Publishes several events in the order given, with one wait for the broker: much cheaper per event than one
     * {@code send} each. Every event is checked before any is sent, so bad input publishes nothing.
     *
     * @return the events' ids, in the order given
     * @throws EventStreamException {@link Refusal#BAD_REQUEST} or {@link Refusal#TOO_LARGE} naming the first bad
     *                              event by its index (nothing published), {@link Refusal#TOO_LARGE} for more events
     *                              than {@code eventstream.publish.max-batch}, {@link Refusal#UNAVAILABLE} when the
     *                              broker did not accept them all (those it did accept are published)
     */
    List<String> sendAll(List<OutgoingEvent> events);

    /** {@link #sendAll(List)} without waiting for the broker; failures as for {@link #sendAsync}. */
    CompletionStage<List<String>> sendAllAsync(List<OutgoingEvent> events);

    /**
     * Tells every node that {@code user}'s access to {@code channel} changed (django-eventstream's
     * {@code channel_permission_changed}): their open streams on it are checked again against the
     * {@link ChannelAuthorizer}, and those that lost access end with {@code stream-error} {@code forbidden}.
     * Change what the authorizer answers first, on every node (e.g. in your database), then call this.
     *
     * @param user    the user, as the authorizer sees them; not null (anonymous streams are not tracked per user)
     * @param channel the channel, or null for every channel of the user's streams
     * @throws EventStreamException {@link Refusal#UNAVAILABLE} when the broker is not up: nothing was announced
     */
    void channelPermissionChanged(String user, String channel);

    /**
     * How many streams read {@code channel} across every node that shares the broker: this node's now, the others'
     * as they announced it within the last second or two. A connection reading three channels counts on each.
     *
     * @return the count; 0 for a channel nobody reads
     * @throws EventStreamException {@link Refusal#BAD_REQUEST} for an invalid channel name
     */
    int presence(String channel);
}
