package io.eventstream.core.event;

/**
 * An event read back from the broker's event log, with the time it was published (for the history's age limit:
 * an event loaded at a node's start is as old as its publication, not as its loading).
 */
public record LoggedEvent(ChannelEvent event, long publishedAtMillis) {
}
