package io.eventstream.core.hub;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.ChannelPattern;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a client asked to read: the channels and channel patterns ({@link ChannelPattern}) of one connection,
 * validated, without duplicates and without overlaps (no entry matches what another already covers, so each event
 * reaches the connection once).
 *
 * @param channels the channel names and patterns, in the order asked
 */
public record ChannelSelection(List<String> channels) {

    /** Parses the {@code channel} query parameters, or the one channel of the path form; {@code bad-request} if invalid. */
    public static ChannelSelection parse(List<String> requested, int maxPerConnection) {
        return parse(requested, maxPerConnection, false);
    }

    /**
     * As {@link #parse(List, int)}, with patterns; {@code allowAll}: whether {@code *} alone is allowed
     * ({@code eventstream.channels.allow-all-pattern}).
     */
    public static ChannelSelection parse(List<String> requested, int maxPerConnection, boolean allowAll) {
        if (requested == null || requested.isEmpty()) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "name at least one channel: /events?channel=NAME or /events/NAME");
        }
        if (requested.size() > maxPerConnection) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "a connection may read at most " + maxPerConnection
                    + " channels (eventstream.channels.max-per-connection), not " + requested.size());
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String channel : requested) {
            unique.add(ChannelPattern.isPattern(channel) ? ChannelPattern.require(channel, allowAll) : ChannelName.require(channel));
        }
        for (String pattern : unique) {
            if (!ChannelPattern.isPattern(pattern)) {
                continue;
            }
            for (String other : unique) {
                if (!other.equals(pattern) && ChannelPattern.covers(pattern, other)) {
                    throw new EventStreamException(Refusal.BAD_REQUEST, "'" + other + "' is already read through the"
                            + " pattern '" + pattern + "' of the same connection: subscribe to one of them");
                }
            }
        }
        return new ChannelSelection(List.copyOf(unique));
    }

    /** Whether any entry is a pattern. */
    public boolean hasPatterns() {
        return channels.stream().anyMatch(ChannelPattern::isPattern);
    }

    /** The channels as log lines name them. */
    public String label() {
        return "channels " + String.join(", ", channels);
    }
}
