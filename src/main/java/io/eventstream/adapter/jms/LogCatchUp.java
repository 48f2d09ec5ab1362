package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.ArrayDeque;
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
 * <p>It keeps the newest {@code keep} events only: a message may hold several events, so a log bounded in messages may
 * hold more events than the node's history would keep anyway.
 *
 * <p>Used by one thread, the one browsing; {@link TopicListener#recover(LogCatchUp)} hands the result on.
 */
final class LogCatchUp implements Consumer<Message> {

    private static final Logger LOG = Logger.getLogger(LogCatchUp.class.getName());

    private final int keep;
    private final ArrayDeque<LoggedEvent> events = new ArrayDeque<>();
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
                long publishedAt = EventMessage.publishedAt(message);
                for (ChannelEvent event : EventMessage.readEvents(message)) {
                    take(event, publishedAt);
                }
            }
        } catch (JMSException | RuntimeException e) {
            // As for a live message: what cannot be delivered is dropped, and was dropped when it was live too.
            LOG.fine(() -> "eventstream: skipped a message of the event log that is not a valid event: " + e);
        }
    }

    // One event of a message, dropped alone when it is not valid (as the live listener drops it).
    private void take(ChannelEvent event, long publishedAt) {
        try {
            events.addLast(new LoggedEvent(TopicListener.validated(event), publishedAt));
            if (events.size() > keep) {
                events.pollFirst();
            }
        } catch (RuntimeException e) {
            LOG.fine(() -> "eventstream: skipped an event of the event log that is not valid: " + e);
        }
    }

    /** Keeps the newest {@code keep} valid events read (the node's {@code eventstream.history.total}). */
    LogCatchUp(int keep) {
        this.keep = keep;
    }

    /** The newest valid events read, at most {@code keep}, oldest first. */
    List<LoggedEvent> events() {
        return new ArrayList<>(events);
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
