package io.eventstream.core.history;

import io.eventstream.core.event.ChannelEvent;
import java.util.Collection;
import java.util.List;

/**
 * What a resuming client gets before going live.
 *
 * @param events        the retained events it missed, in the order the node received them
 * @param frames        the same events as the encoded frames live subscribers got, in the same order
 * @param resetChannels channels whose missed events are no longer all retained: the client must start over
 * @param latestId      the position of a client that saw everything: the id of the newest event this node holds,
 *                      or the node's start position before it received any
 */
public record Replay(List<ChannelEvent> events, List<byte[]> frames, List<String> resetChannels, String latestId) {

    static Replay nothing(String latestId) {
        return new Replay(List.of(), List.of(), List.of(), latestId);
    }

    static Replay reset(Collection<String> channels, String latestId) {
        return new Replay(List.of(), List.of(), List.copyOf(channels), latestId);
    }

    /** Whether the client is up to date: nothing to replay and nothing to reset. */
    public boolean isEmpty() {
        return events.isEmpty() && resetChannels.isEmpty();
    }
}
