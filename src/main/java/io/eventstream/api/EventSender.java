package io.eventstream.api;

/**
 * Publishes events to channels from Java code: {@code @Inject EventSender events; events.send("news", "message", data);}.
 *
 * <p>Every event goes through the broker's topic, so it reaches the subscribers of every node that shares the
 * broker, in the same order everywhere, with the id this method returns. When it returns, the broker has
 * accepted the event; when it throws, the event was not published. Thread-safe.
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
}
