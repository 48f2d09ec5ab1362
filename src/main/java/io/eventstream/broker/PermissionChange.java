package io.eventstream.broker;

/**
 * A control message on the topic, from {@code EventSender.channelPermissionChanged}: every node re-checks the
 * open streams of {@code user} on {@code channel} (on all their channels when {@code channel} is null).
 */
public record PermissionChange(String user, String channel) {

    static final String CONTROL = "control";
    static final String KIND = "permission-changed";
    static final String USER = "user";
    static final String CHANNEL = "channel";
}
