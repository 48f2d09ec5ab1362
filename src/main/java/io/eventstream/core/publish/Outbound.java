package io.eventstream.core.publish;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The port publishing goes out through: the broker's topic, which every node consumes. Implemented by the JMS
 * adapter; the core never names the broker.
 */
public interface Outbound {

    /**
     * Sends events in order without waiting for the broker.
     *
     * @return completes once the broker has accepted every event, or with an
     *         {@link io.eventstream.api.EventStreamException} {@code unavailable} when it did not accept one of them
     */
    CompletionStage<Void> send(List<ChannelEvent> events);

    /** Announces a permission change to every node, returning once the broker has accepted it; as {@link #send(List)}, but waiting. */
    void send(PermissionChange change);

    /**
     * Sends this node's presence report (JSON, see {@code NodeReport}) to every node, without waiting: not kept in
     * the event log, and dropped by the broker when no node took it within a few seconds (it is stale by then).
     *
     * @return completes once the broker has accepted it, or with {@code unavailable}
     */
    CompletionStage<Void> announce(String report);

    /** Why nothing can be sent now, or empty when the topic is up. */
    Optional<String> failure();

    /** Where the durable event log lives, described for operators, or empty when history is in memory only. */
    Optional<String> eventLog();

    /** Which broker carries the topic, as {@code eventstream.broker} names it. */
    String broker();
}
