package io.eventstream.broker;

import io.eventstream.event.ChannelName;
import io.eventstream.event.Event;
import io.eventstream.event.EventType;
import io.eventstream.event.InvalidEventException;
import io.eventstream.event.JsonData;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Unwraps each message of the topic into an event and hands it on.
 *
 * <p>It is registered on the node's single consumer session, so it runs on one thread at a time and events
 * are handed on in the broker's order.
 */
final class TopicListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(TopicListener.class.getName());

    private final Consumer<Event> delivery;
    private final Consumer<PermissionChange> permissions;

    TopicListener(Consumer<Event> delivery, Consumer<PermissionChange> permissions) {
        this.delivery = delivery;
        this.permissions = permissions;
    }

    @Override
    public void onMessage(Message message) {
        try {
            if (message.propertyExists(PermissionChange.CONTROL)) {
                onControl(message);
                return;
            }
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: could not handle a control message from the topic", e);
            return;
        }
        Event event;
        try {
            event = validated(EventMessage.read(message));
        } catch (JMSException | IllegalArgumentException e) {
            // Foreign publishers can put anything on the topic: drop what cannot be delivered, say why.
            LOG.warning(() -> "eventstream: dropped a message from the topic that is not a valid event: "
                    + e.getMessage() + " (see the README, 'Message format')");
            return;
        }
        try {
            delivery.accept(event);
        } catch (RuntimeException e) {
            // Never let one event break the listener: the session would stop delivering.
            LOG.log(Level.SEVERE, "eventstream: delivering event " + event.id() + " failed", e);
        }
    }

    // Only permission changes exist; a control message of another kind (a newer node's) is ignored, not delivered.
    private void onControl(Message message) throws JMSException {
        String kind = message.getStringProperty(PermissionChange.CONTROL);
        String user = message.getStringProperty(PermissionChange.USER);
        if (!PermissionChange.KIND.equals(kind) || user == null) {
            LOG.warning(() -> "eventstream: ignored a control message of kind '" + kind + "'");
            return;
        }
        permissions.accept(new PermissionChange(user, message.getStringProperty(PermissionChange.CHANNEL)));
    }

    private static Event validated(Event event) {
        ChannelName.require(event.channel());
        if (event.data() == null) {
            throw new InvalidEventException("message has no body");
        }
        return new Event(event.id(), event.channel(), EventType.require(event.type()), JsonData.normalize(event.data()));
    }
}
