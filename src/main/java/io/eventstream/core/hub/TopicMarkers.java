package io.eventstream.core.hub;

import java.util.concurrent.CompletionStage;

/**
 * The port the hub sends its markers through: implemented by the broker adapter, which puts each onto the topic, where
 * it comes back to this node's {@link Inbound#marked} after everything that was on the topic before it.
 */
public interface TopicMarkers {

    /**
     * Sends a marker carrying {@code token}: not persistent, never expiring, kept out of the event log.
     *
     * @return completes once the broker has accepted it; fails when it cannot be sent (no link, or a topic this node's
     *         listener does not read)
     */
    CompletionStage<Void> mark(String token);
}
