package io.eventstream.core.presence;

/**
 * A node's load as it announces it: cumulative counts since it started, so that a lost announcement loses no event.
 *
 * @param connections its open streams, channel and custom
 * @param channels    channels with at least one subscriber on it
 * @param eventsIn    events it took in from the topic
 * @param eventsOut   event frames it flushed to clients
 * @param resets      {@code stream-reset}s it sent
 * @param drops       clients it cut off (slow, write timeout, revoked, expired)
 */
public record NodeLoad(int connections, int channels, long eventsIn, long eventsOut, long resets, long drops) {

    /** Nothing yet. */
    public static final NodeLoad NONE = new NodeLoad(0, 0, 0, 0, 0, 0);
}
