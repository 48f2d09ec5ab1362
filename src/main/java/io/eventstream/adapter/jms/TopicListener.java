package io.eventstream.adapter.jms;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Inbound;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Unwraps each message of the topic into an event or a permission change and hands it to the hub.
 *
 * <p>It is registered on the node's single consumer session, so it runs on one thread at a time and hands events
 * on in the broker's order. One bad message never stops it: the session would stop delivering.
 */
final class TopicListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(TopicListener.class.getName());

    private final Inbound inbound;

    TopicListener(Inbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void onMessage(Message message) {
        try {
            if (EventMessage.isControl(message)) {
                onControl(message);
                return;
            }
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: could not handle a control message from the topic", e);
            return;
        }
        ChannelEvent event;
        try {
            event = validated(EventMessage.readEvent(message));
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
        try {
            inbound.event(event);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "eventstream: delivering event " + event.id() + " failed", e);
        }
    }

    private void onControl(Message message) throws JMSException {
        PermissionChange change = EventMessage.readControl(message);
        if (change == null) {
            LOG.warning(() -> "eventstream: ignored a control message of a kind this node does not know");
            return;
        }
        inbound.permissionChanged(change);
    }

    /** The event as the hub may deliver it: a valid channel and type, and compact JSON data. */
    static ChannelEvent validated(ChannelEvent event) {
        ChannelName.require(event.channel());
        if (event.data() == null) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "message has no body");
        }
        return new ChannelEvent(event.id(), event.channel(), EventTypeName.require(event.type()), JsonData.normalize(event.data()));
    }
}
