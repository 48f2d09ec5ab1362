package io.eventstream.core.event;

/**
 * One published event as it travels from publisher to clients.
 *
 * @param id      unique across nodes, assigned at publish
 * @param channel the channel it was published to
 * @param type    the SSE {@code event:} field
 * @param data    compact JSON text, never containing a line break
 */
public record ChannelEvent(String id, String channel, String type, String data) {
}
