package io.eventstream.history;

import io.eventstream.event.Event;
import java.util.List;

/**
 * What a resuming client gets before going live.
 *
 * @param events        the retained events it missed, in the order the node received them
 * @param resetChannels channels whose missed events are no longer all retained: the client must start over
 * @param latestId      the position of a client that saw everything: the id of the newest event this node holds,
 *                      or the node's start position before it received any
 */
public record Replay(List<Event> events, List<String> resetChannels, String latestId) {
}
