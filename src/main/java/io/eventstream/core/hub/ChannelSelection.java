package io.eventstream.core.hub;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.ChannelName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a client asked to read: the channels of one connection, validated and without duplicates.
 *
 * @param channels the channel names, in the order asked
 */
public record ChannelSelection(List<String> channels) {

    /** Parses the {@code channel} query parameters, or the one channel of the path form; {@code bad-request} if invalid. */
    public static ChannelSelection parse(List<String> requested, int maxPerConnection) {
        if (requested == null || requested.isEmpty()) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "name at least one channel: /events?channel=NAME or /events/NAME");
        }
        if (requested.size() > maxPerConnection) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "a connection may read at most " + maxPerConnection
                    + " channels (eventstream.channels.max-per-connection), not " + requested.size());
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String channel : requested) {
            unique.add(ChannelName.require(channel));
        }
        return new ChannelSelection(List.copyOf(unique));
    }

    /** The channels as log lines name them. */
    public String label() {
        return "channels " + String.join(", ", channels);
    }
}
