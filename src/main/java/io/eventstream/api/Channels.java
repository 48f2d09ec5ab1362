package io.eventstream.api;

import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * The hub's channels as JAX-RS broadcasters, for an application's own SSE resources: {@code @Inject Channels channels;
 * channels.broadcaster("prices").register(sink);}.
 *
 * <p>A channel's broadcaster is fed by this node's hub, which receives every event of the topic in the broker's
 * order: each event published on the channel, from any node and by any means ({@link EventSender}, HTTP, the
 * broker), reaches every registered sink in that order, with its id, its event type as the SSE event name, and its
 * JSON text as the data. Sinks are streams of the hub like any other: {@code eventstream.connections.max} bounds them,
 * {@code eventstream.client.buffer} and {@code eventstream.client.write-timeout} cut off a client that does not keep
 * up, and idle ones get keep-alive comments. Thread-safe.
 */
public interface Channels {

    /**
     * The broadcaster of {@code channel} on this node: the same instance until it is closed, a new one after.
     *
     * <p>It differs from a plain {@code SseBroadcaster} in two ways. {@code broadcast} publishes through the topic,
     * so the event reaches every node's subscribers of the channel (this broadcaster's sinks among them) with an id
     * the hub assigns, and its stage completes once the broker has accepted the event, not once sinks have it. And a
     * sink it drops (failed, too slow, or the client left) is reported to {@code onClose}, and to {@code onError}
     * when a send to it failed.
     *
     * @throws EventStreamException {@link Refusal#BAD_REQUEST} for an invalid channel name
     */
    SseBroadcaster broadcaster(String channel);

    /**
     * Registers {@code sink} on {@link #broadcaster(String) broadcaster(channel)} as a client resuming after
     * {@code lastEventId} (the {@code Last-Event-ID} header its browser sent when it reconnected), so that its
     * broadcaster's {@code onClose} and {@code onError} listeners apply to it.
     *
     * <p>Exactly once, and in order: the events of the channel retained after {@code lastEventId} are replayed and
     * the sink joins the live events in one step under the hub's lock, so each event published after
     * {@code lastEventId} reaches the sink once, either replayed or live, never twice and never skipped. When the hub
     * no longer holds that position (older than the history, or from before events were lost), the sink first gets
     * a {@code stream-reset} event, data {@code {"channels":["prices"]}}, then live events: the client must reload
     * its state. A null {@code lastEventId} is {@code broadcaster(channel).register(sink)}: live events only.
     *
     * @throws EventStreamException {@link Refusal#BAD_REQUEST} for an invalid channel name or a
     *                              {@code lastEventId} that is not an event id, before anything is sent;
     *                              {@link Refusal#TOO_MANY_REQUESTS} when the node holds
     *                              {@code eventstream.connections.max} streams (the sink is left open, untouched)
     */
    void register(String channel, SseEventSink sink, String lastEventId);
}
