package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Several events published together may travel as one message, a batch: the int property {@value #BATCH} holds
 * their number n, the string properties {@value #BATCH_IDS}, {@value #BATCH_CHANNELS} and {@value #BATCH_TYPES} their
 * n ids, channels and types, each list separated by line feeds, and the body their n data values, compact JSON, one
 * per line. None of these may hold a line feed: ids, channels and types allow none, and compact JSON writes a line
 * break inside a string as {@code \n}.
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
    /** A batch's number of events (see the class comment), and its lists. */
    static final String BATCH = "batch";
    static final String BATCH_IDS = "batchIds";
    static final String BATCH_CHANNELS = "batchChannels";
    static final String BATCH_TYPES = "batchEvents";
    private static final char SEPARATOR = '\n';
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

    /** One message for {@code events}: a single event as {@link #write(Session, ChannelEvent)}, several as a batch. */
    static TextMessage write(Session session, List<ChannelEvent> events) throws JMSException {
        if (events.size() == 1) {
            return write(session, events.get(0));
        }
        StringBuilder ids = new StringBuilder();
        StringBuilder channels = new StringBuilder();
        StringBuilder types = new StringBuilder();
        StringBuilder data = new StringBuilder();
        for (ChannelEvent event : events) {
            if (!data.isEmpty()) {
                ids.append(SEPARATOR);
                channels.append(SEPARATOR);
                types.append(SEPARATOR);
                data.append(SEPARATOR);
            }
            ids.append(event.id());
            channels.append(event.channel());
            types.append(event.type());
            data.append(event.data());
        }
        TextMessage message = session.createTextMessage(data.toString());
        message.setIntProperty(BATCH, events.size());
        message.setStringProperty(BATCH_IDS, ids.toString());
        message.setStringProperty(BATCH_CHANNELS, channels.toString());
        message.setStringProperty(BATCH_TYPES, types.toString());
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

    /**
     * Reads the events of a message: a batch's, in order, or the one event of any other; the caller validates each,
     * since messages may come from publishers other than ours. A batch whose lists do not each hold its number of
     * values is refused whole.
     */
    static List<ChannelEvent> readEvents(Message message) throws JMSException {
        if (!message.propertyExists(BATCH)) {
            return List.of(readEvent(message));
        }
        if (!(message instanceof TextMessage text)) {
            throw new IllegalArgumentException("a batch that is not a text message: " + message.getClass().getSimpleName());
        }
        int count = message.getIntProperty(BATCH);
        List<String> ids = split(message.getStringProperty(BATCH_IDS), count, BATCH_IDS);
        List<String> channels = split(message.getStringProperty(BATCH_CHANNELS), count, BATCH_CHANNELS);
        List<String> types = split(message.getStringProperty(BATCH_TYPES), count, BATCH_TYPES);
        List<String> data = split(text.getText(), count, "body");
        List<ChannelEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new ChannelEvent(ids.get(i), channels.get(i), types.get(i), data.get(i)));
        }
        return events;
    }

    // The count values of a batch's list, which must hold exactly that many.
    private static List<String> split(String list, int count, String name) {
        if (list == null || count < 1) {
            throw new IllegalArgumentException("a batch of " + count + " events without its " + name);
        }
        List<String> values = new ArrayList<>(count);
        int start = 0;
        for (int end = list.indexOf(SEPARATOR); end >= 0 && values.size() < count; end = list.indexOf(SEPARATOR, start)) {
            values.add(list.substring(start, end));
            start = end + 1;
        }
        values.add(list.substring(start));
        if (values.size() != count) { // more lines than count make count + 1 values: the loop stops at count
            throw new IllegalArgumentException("a batch of " + count + " events whose " + name + " does not hold " + count
                    + " values, one per line");
        }
        return values;
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
