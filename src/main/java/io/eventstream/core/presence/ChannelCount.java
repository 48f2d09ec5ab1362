package io.eventstream.core.presence;

/** A channel and how many streams read it across the cluster. */
public record ChannelCount(String channel, int subscribers) {
}
