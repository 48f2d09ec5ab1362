package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;

/** One live connection to the topic, as {@link LinkKeeper} holds it: {@link JmsLink} over JMS, or a test's fake. */
interface BrokerLink extends AutoCloseable {

    /** Sends an event, returning once the broker has accepted it. */
    void send(ChannelEvent event) throws Exception;

    /** Sends a permission change to every node, returning once the broker has accepted it. */
    void send(PermissionChange change) throws Exception;

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
