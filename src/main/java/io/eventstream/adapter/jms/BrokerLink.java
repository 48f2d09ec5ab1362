package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One live connection to the topic, as {@link LinkKeeper} holds it: {@link JmsLink} over JMS, or a test's fake. */
interface BrokerLink extends AutoCloseable {

    /**
     * Sends events in order without waiting; the future completes once the broker has accepted them all, or with
     * the failure of one of them.
     */
    CompletableFuture<Void> send(List<ChannelEvent> events) throws Exception;

    /** Sends a permission change to every node; as {@link #send(List)}. */
    CompletableFuture<Void> send(PermissionChange change) throws Exception;

    /** Sends a presence report to every node, not persistent and short-lived; as {@link #send(List)}. */
    CompletableFuture<Void> announce(String report) throws Exception;

    /**
     * Sends a marker straight onto the topic (see {@code TopicMarkers}); as {@link #send(List)}. A link whose topic is
     * not read by this node's {@link TopicListener} has none.
     */
    default CompletableFuture<Void> mark(String token) throws Exception {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("markers need the node's own topic listener"));
    }

    /**
     * Whether this link caught the node up from the broker's event log before delivering, so that nothing published
     * while the node was away is missing.
     */
    boolean caughtUp();

    /** Whether the broker reported this link lost. */
    boolean failed();

    /** Releases the link; quiet, safe to call more than once. */
    @Override
    void close();

    /** Opens links: connects, subscribes the node's listener, and reports a lost link to {@code onFailure}. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param onFailure hears of the link's loss, possibly before this method returns (see {@link BrokerLink#failed()}),
         *                  with the broker's reason
         */
        BrokerLink open(java.util.function.BiConsumer<BrokerLink, Exception> onFailure) throws Exception;
    }
}
