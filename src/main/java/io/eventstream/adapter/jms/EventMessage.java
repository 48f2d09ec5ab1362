package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * The wire format on the topic, readable and writable by any JMS, AMQP or STOMP client.
 *
 * <p>An event is a text message whose body is the event's JSON data, with the string properties {@value #CHANNEL}
 * (required), {@value #TYPE} (optional, default {@code message}) and {@value #ID} (optional; when absent the JMS message id,
 * else the broker's own number for the message, which every node sees the same). A permission change is a control message: the property
 * {@value #CONTROL} = {@value #PERMISSION_CHANGED}, with {@value #USER} and, optionally, {@value #CHANNEL}. A node's
 * presence report is a control message {@value #CONTROL} = {@value #PRESENCE} whose body is the report's JSON; the
 * event log's filter ({@link #NOT_PRESENCE}) keeps it out of the log. A node's catch-up marker is such a message too,
 * with the property {@value #MARKER}: only the node that sent it acts on it (see {@link TopicListener}).
 */
final class EventMessage {

    static final String CHANNEL = "channel";
    static final String TYPE = "event";
    static final String ID = "id";
    static final String CONTROL = "control";
    static final String PERMISSION_CHANGED = "permission-changed";
    static final String USER = "user";
    static final String PRESENCE = "presence";
    /** The token of a node's catch-up marker, a presence message that every other node ignores. */
    static final String MARKER = "marker";
    /** When the node published the event, in epoch milliseconds, kept by the inbox's sequencer (see {@link #publishedAt}). */
    static final String PUBLISHED_AT = "publishedAt";
    /** The event log's filter: every message of the topic but presence reports. */
    static final String NOT_PRESENCE = CONTROL + " IS NULL OR " + CONTROL + " <> '" + PRESENCE + "'";
    /** How long a presence report lives on the broker: stale after a few announcement intervals. */
    static final long PRESENCE_TTL_MILLIS = 5_000;

    private EventMessage() {
    }

    static TextMessage write(Session session, ChannelEvent event) throws JMSException {
        TextMessage message = session.createTextMessage(event.data());
        message.setStringProperty(CHANNEL, event.channel());
        message.setStringProperty(TYPE, event.type());
        message.setStringProperty(ID, event.id());
        return message;
    }

    static TextMessage write(Session session, PermissionChange change) throws JMSException {
        TextMessage message = session.createTextMessage("{}");
        message.setStringProperty(CONTROL, PERMISSION_CHANGED);
        message.setStringProperty(USER, change.user());
        if (change.channel() != null) {
            message.setStringProperty(CHANNEL, change.channel());
        }
        return message;
    }

    static TextMessage writePresence(Session session, String report) throws JMSException {
        TextMessage message = session.createTextMessage(report);
        message.setStringProperty(CONTROL, PRESENCE);
        return message;
    }

    /** A catch-up marker: a presence message (kept out of the event log) carrying {@code token} and no report. */
    static TextMessage writeMarker(Session session, String token) throws JMSException {
        TextMessage message = session.createTextMessage("{}");
        message.setStringProperty(CONTROL, PRESENCE);
        message.setStringProperty(MARKER, token);
        return message;
    }

    /** The token of a catch-up marker, or null for any other message. */
    static String marker(Message message) throws JMSException {
        return message.getStringProperty(MARKER);
    }

    /** Whether the message is a node's presence report or catch-up marker. */
    static boolean isPresence(Message message) throws JMSException {
        return PRESENCE.equals(message.getStringProperty(CONTROL));
    }

    /**
     * What tells this message from every other on the topic, the same on every node and in the event log: its JMS
     * message id, or, for a publisher that disabled message ids, its event id (null for such a control message).
     */
    static String key(Message message) throws JMSException {
        String messageId = message.getJMSMessageID();
        if (messageId != null) {
            return messageId;
        }
        String id = message.getStringProperty(ID);
        return id != null ? id : brokerId(message);
    }

    /**
     * The broker's own number for the message, as {@code AMQ-<number>}: the same in every subscription and in the event
     * log (one message, routed to each), kept across the broker's restarts; null for a message not from Artemis. The
     * id of last resort, for a message with no JMS message id (STOMP's, say) and no {@value #ID} property.
     */
    static String brokerId(Message message) {
        return message instanceof ActiveMQMessage ours ? "AMQ-" + ours.getCoreMessage().getMessageID() : null;
    }

    /**
     * When the event was published: the property {@value #PUBLISHED_AT} that the inbox's sequencer keeps when it moves
     * the message onto the topic, else the message's timestamp (0 from a producer that disabled timestamps).
     */
    static long publishedAt(Message message) throws JMSException {
        return message.propertyExists(PUBLISHED_AT) ? message.getLongProperty(PUBLISHED_AT) : message.getJMSTimestamp();
    }

    /** Whether the message is a control message rather than an event. */
    static boolean isControl(Message message) throws JMSException {
        return message.propertyExists(CONTROL);
    }

    /** Reads an event; the caller validates it, since messages may come from publishers other than ours. */
    static ChannelEvent readEvent(Message message) throws JMSException {
        if (!(message instanceof TextMessage text)) {
            throw new IllegalArgumentException("not a text message: " + message.getClass().getSimpleName());
        }
        String id = message.getStringProperty(ID);
        if (id == null) {
            id = message.getJMSMessageID();
        }
        if (id == null) {
            id = brokerId(message);
        }
        String type = message.getStringProperty(TYPE);
        return new ChannelEvent(id, message.getStringProperty(CHANNEL), type == null ? EventTypeName.DEFAULT : type, text.getText());
    }

    /**
     * Reads a control message: a permission change, or null for a kind this node does not know (a newer node's).
     */
    static PermissionChange readControl(Message message) throws JMSException {
        String user = message.getStringProperty(USER);
        if (!PERMISSION_CHANGED.equals(message.getStringProperty(CONTROL)) || user == null) {
            return null;
        }
        return new PermissionChange(user, message.getStringProperty(CHANNEL));
    }
}
