package io.eventstream.adapter.jms;

import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * What one catch-up read from the event log: each browsed message, as it arrives, read and checked into an event or a
 * permission change (so the reading overlaps the broker delivering the next ones), and the keys of them all.
 *
 * <p>Used by one thread, the one browsing; {@link TopicListener#recover(LogCatchUp)} hands the result on.
 */
final class LogCatchUp implements Consumer<Message> {

    private static final Logger LOG = Logger.getLogger(LogCatchUp.class.getName());

    private final List<LoggedEvent> events = new ArrayList<>();
    private final List<PermissionChange> changes = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    /** Reads the next message of the log (oldest first); one that is not a valid event or change is skipped. */
    @Override
    public void accept(Message message) {
        try {
            String key = EventMessage.key(message);
            if (key != null) {
                keys.add(key);
            }
            if (EventMessage.isControl(message)) {
                PermissionChange change = EventMessage.readControl(message);
                if (change != null) {
                    changes.add(change);
                }
            } else {
                events.add(new LoggedEvent(TopicListener.validated(EventMessage.readEvent(message)), EventMessage.publishedAt(message)));
            }
        } catch (JMSException | RuntimeException e) {
            // As for a live message: what cannot be delivered is dropped, and was dropped when it was live too.
            LOG.fine(() -> "eventstream: skipped a message of the event log that is not a valid event: " + e);
        }
    }

    /** The valid events read, oldest first. */
    List<LoggedEvent> events() {
        return events;
    }

    /** The permission changes read, oldest first. */
    List<PermissionChange> changes() {
        return changes;
    }

    /** The keys ({@link EventMessage#key}) of every message read, valid or not. */
    Set<String> keys() {
        return keys;
    }
}
