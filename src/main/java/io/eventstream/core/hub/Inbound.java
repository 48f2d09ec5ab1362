package io.eventstream.core.hub;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import java.util.List;

/**
 * The port the broker adapter hands the topic to: called on one thread at a time, in the broker's order.
 */
public interface Inbound {

    /** An event from the topic, validated. */
    void event(ChannelEvent event);

    /**
     * An event from the topic, validated, with the broker's timestamp of its publication (0 when it has none): what
     * the delivery lag is measured from.
     */
    default void event(ChannelEvent event, long publishedAtMillis) {
        event(event);
    }

    /** A permission change announced by some node's {@code EventSender.channelPermissionChanged}. */
    void permissionChanged(PermissionChange change);

    /**
     * The broker's event log, oldest first, read when the node links to the topic (at start and after every
     * reconnect) and before any live event of that link: the events this node has not received yet are taken in.
     *
     * @return how many events were taken from the log
     */
    int recover(List<LoggedEvent> log);

    /**
     * The node is behind the topic until a link catches it up from the event log ({@link #recover}, then
     * {@link #caughtUp}): it has not read the log yet, or its link, which had, was lost.
     */
    default void fallingBehind() {
    }

    /**
     * After {@link #recover}: the link has now delivered the live messages that were queued for this node while it read
     * the log, so it holds everything published before it linked.
     */
    default void caughtUp() {
    }

    /** A marker with {@code token} came back from the topic (see {@link TopicMarkers}): only the node that sent it acts on it. */
    default void marked(String token) {
    }

    /**
     * The link to the topic was lost and is back, with no event log to catch up from: events may have been
     * published that this node never received.
     */
    void missed();
}
