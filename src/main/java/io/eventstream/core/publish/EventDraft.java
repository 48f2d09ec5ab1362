package io.eventstream.core.publish;

/**
 * An event as a publisher hands it in, before it is checked and given its id.
 *
 * @param channel the channel named by the publisher
 * @param type    the event type, or null for {@code message}
 * @param json    the data as compact JSON text
 */
public record EventDraft(String channel, String type, String json) {
}
