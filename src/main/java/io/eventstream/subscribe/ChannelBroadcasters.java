package io.eventstream.subscribe;

import io.eventstream.event.Event;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's broadcasters, one per channel that has a subscriber: created by the first subscriber and
 * released when the last one leaves, so channels nobody reads cost nothing.
 */
@ApplicationScoped
public class ChannelBroadcasters {

    private final Map<String, ChannelBroadcaster> byChannel = new ConcurrentHashMap<>();

    /** Subscribes a stream to a channel, creating the channel's broadcaster if it has none. */
    void join(String channel, ClientStream stream) {
        // compute() makes create-and-register atomic against a concurrent release of the same channel.
        byChannel.compute(channel, (name, broadcaster) -> {
            if (broadcaster == null) {
                broadcaster = new ChannelBroadcaster();
            }
            broadcaster.register(stream);
            return broadcaster;
        });
    }

    /** Unsubscribes a stream, releasing the channel's broadcaster when it was the last subscriber. */
    void leave(String channel, ClientStream stream) {
        byChannel.computeIfPresent(channel, (name, broadcaster) -> broadcaster.unregister(stream) ? null : broadcaster);
    }

    /** Hands an event to the subscribers of its channel on this node, encoded once for all of them. */
    void dispatch(Event event) {
        ChannelBroadcaster broadcaster = byChannel.get(event.channel());
        if (broadcaster != null) {
            broadcaster.send(SseFrames.of(event));
        }
    }

    /** Channels with at least one subscriber on this node. */
    public int channelCount() {
        return byChannel.size();
    }

    /** Subscriptions on this node: a connection reading three channels counts three. */
    public int subscriptionCount() {
        return byChannel.values().stream().mapToInt(ChannelBroadcaster::size).sum();
    }
}
