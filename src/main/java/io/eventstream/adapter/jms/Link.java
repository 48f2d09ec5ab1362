package io.eventstream.adapter.jms;

import io.eventstream.core.event.Event;
import io.eventstream.core.event.PermissionChange;

/** One live connection to the topic, as {@link LinkKeeper} holds it: {@link TopicLink} over JMS, or a test's fake. */
interface Link extends AutoCloseable {

    /** Sends an event, returning once the broker has accepted it. */
    void send(Event event) throws Exception;

    /** Sends a permission change to every node, returning once the broker has accepted it. */
    void send(PermissionChange change) throws Exception;

    /** Whether the broker reported this link lost. */
    boolean failed();

    /** Releases the link; quiet, safe to call more than once. */
    @Override
    void close();

    /** Opens links: connects, subscribes the node's listener, and reports a lost link to {@code onFailure}. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param onFailure hears of the link's loss, possibly before this method returns (see {@link Link#failed()}),
         *                  with the broker's reason
         */
        Link open(java.util.function.BiConsumer<Link, Exception> onFailure) throws Exception;
    }
}
