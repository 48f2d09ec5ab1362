package io.eventstream.adapter.jms;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Inbound;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.presence.NodeReport;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Unwraps each message of the topic into an event or a permission change and hands it to the hub, or into a node's
 * presence report and hands it to the cluster's presence (which also sees the presence events).
 *
 * <p>It is registered on the node's single consumer session, so it runs on one thread at a time and hands events
 * on in the broker's order. One bad message never stops it: the session would stop delivering.
 */
final class TopicListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(TopicListener.class.getName());

    private final Inbound inbound;
    private final ClusterPresence presence;
    // The keys of the messages the last catch-up read from the event log, until the first live message that is not
    // among them: the live subscription was opened before the log was read, so their overlap is its first messages.
    // Set by the reconnector before the link starts delivering (Connection.start() orders it before onMessage).
    private volatile Set<String> alreadyRecovered;
    // The token of the marker the current link sent after its catch-up (see expectMarker); null once heard.
    private volatile String awaitedMarker;

    TopicListener(Inbound inbound, ClusterPresence presence) {
        this.inbound = inbound;
        this.presence = presence;
    }

    /**
     * Hands the hub what the event log holds (oldest first): the events, then the permission changes, which are
     * checked again (a check is idempotent); the live messages that were also in the log are then dropped.
     *
     * @return how many events the hub took in as new
     */
    int recover(List<Message> log) {
        LogCatchUp read = new LogCatchUp(Integer.MAX_VALUE);
        log.forEach(read);
        return recover(read);
    }

    /** As {@link #recover(List)}, with the log already read while it was browsed. */
    int recover(LogCatchUp read) {
        alreadyRecovered = read.keys();
        List<LoggedEvent> events = read.events();
        int taken = inbound.recover(events);
        // Who was announced present, from the log: a node that starts knows it before it may lead the presence events.
        events.forEach(logged -> presence.observed(logged.event()));
        read.changes().forEach(inbound::permissionChanged);
        return taken;
    }

    /**
     * A new token for the marker a link sends straight onto the topic once it has started delivering after a catch-up.
     * The marker comes after every message that was queued for the node while it read the log (a subscription delivers
     * in the order messages reach it), so hearing it tells the hub it has caught up ({@link Inbound#caughtUp()}).
     * A token of an earlier link is ignored, as are other nodes' markers.
     */
    String expectMarker() {
        String token = UUID.randomUUID().toString();
        awaitedMarker = token;
        return token;
    }

    @Override
    public void onMessage(Message message) {
        try {
            // Presence messages first: they are never in the event log, so they must not end its overlap.
            if (EventMessage.isPresence(message)) {
                String marker = EventMessage.marker(message);
                if (marker == null) {
                    onPresence(message);
                } else if (marker.equals(awaitedMarker)) {
                    awaitedMarker = null;
                    inbound.caughtUp();
                } else {
                    inbound.marked(marker); // the hub's own, for resumes that wait; it ignores other nodes'
                }
                return;
            }
            if (recoveredBefore(message)) {
                return;
            }
            if (EventMessage.isControl(message)) {
                onControl(message);
                return;
            }
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: could not handle a control message from the topic", e);
            return;
        }
        List<ChannelEvent> events;
        long publishedAt;
        try {
            events = EventMessage.readEvents(message);
            publishedAt = EventMessage.publishedAt(message);
        } catch (JMSException | IllegalArgumentException | EventStreamException e) {
            // Foreign publishers can put anything on the topic: drop what cannot be delivered, say why.
            LOG.warning(() -> "eventstream: dropped a message from the topic that is not a valid event: "
                    + e.getMessage() + " (see the README, 'Message format')");
            return;
        } catch (RuntimeException e) {
            // The JMS client failed to read it: a listener that throws gets the message redelivered (auto-acknowledge).
            LOG.log(Level.WARNING, "eventstream: dropped a message from the topic that could not be read", e);
            return;
        }
        for (ChannelEvent read : events) {
            ChannelEvent event;
            try {
                event = validated(read);
            } catch (IllegalArgumentException | EventStreamException e) {
                LOG.warning(() -> "eventstream: dropped an event from the topic that is not valid: " + e.getMessage()
                        + " (see the README, 'Message format')");
                continue;
            }
            try {
                inbound.event(event, publishedAt);
                presence.observed(event);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "eventstream: delivering event " + event.id() + " failed", e);
            }
        }
    }

    // Whether the message was already taken from the event log; ends the overlap at the first one that was not.
    private boolean recoveredBefore(Message message) throws JMSException {
        Set<String> recovered = alreadyRecovered;
        if (recovered == null) {
            return false;
        }
        String key = EventMessage.key(message);
        if (key != null && recovered.contains(key)) {
            return true;
        }
        alreadyRecovered = null;
        return false;
    }

    private void onPresence(Message message) throws JMSException {
        if (!(message instanceof TextMessage text)) {
            LOG.warning(() -> "eventstream: ignored a presence report that is not a text message");
            return;
        }
        NodeReport report;
        try {
            report = NodeReport.parse(text.getText());
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "eventstream: ignored a presence report from the topic: " + e.getMessage());
            return;
        }
        presence.apply(report);
    }

    private void onControl(Message message) throws JMSException {
        PermissionChange change = EventMessage.readControl(message);
        if (change == null) {
            LOG.warning(() -> "eventstream: ignored a control message of a kind this node does not know");
            return;
        }
        inbound.permissionChanged(change);
    }

    /** The event as the hub may deliver it: an id a client can resume from, a valid channel and type, and compact JSON data. */
    static ChannelEvent validated(ChannelEvent event) {
        ChannelName.require(event.channel());
        if (event.data() == null) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "message has no body");
        }
        return new ChannelEvent(EventIds.requireFromTopic(event.id()), event.channel(),
                EventTypeName.requireFromTopic(event.type()), JsonData.normalize(event.data()));
    }
}
