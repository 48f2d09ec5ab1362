package io.eventstream.api;

/**
 * One event of a batch for {@link EventSender#sendAll(java.util.List)}: where it goes, its type and its data.
 *
 * @param channel   the channel to publish to
 * @param eventType the SSE event type, e.g. {@code message}
 * @param data      the data, serialized to JSON with JSON-B (a {@code jakarta.json.JsonValue} is sent as it is)
 */
public record OutgoingEvent(String channel, String eventType, Object data) {

    /** An event of type {@code message}. */
    public static OutgoingEvent of(String channel, Object data) {
        return new OutgoingEvent(channel, "message", data);
    }
}
