package io.eventstream.core.event;

/**
 * An announcement from {@code EventSender.channelPermissionChanged}, travelling over the topic to every node:
 * re-check the open streams of {@code user} on {@code channel} (on all their channels when {@code channel} is null).
 */
public record PermissionChange(String user, String channel) {
}
