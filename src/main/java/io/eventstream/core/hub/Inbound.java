package io.eventstream.core.hub;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;

/**
 * The port the broker adapter hands the topic to: called on one thread at a time, in the broker's order.
 */
public interface Inbound {

    /** An event from the topic, validated. */
    void event(ChannelEvent event);

    /** A permission change announced by some node's {@code EventSender.channelPermissionChanged}. */
    void permissionChanged(PermissionChange change);

    /** The link to the topic was lost and is back: events may have been published that this node never received. */
    void missed();
}
