package io.eventstream.broker;

import io.eventstream.event.Event;
import io.eventstream.event.EventType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * The wire format of an event on the topic, readable and writable by any JMS, AMQP or STOMP client.
 *
 * <p>A text message whose body is the event's JSON data, with the string properties {@value #CHANNEL}
 * (required), {@value #TYPE} (optional, default {@code message}) and {@value #ID} (optional; when absent the
 * broker's message id is used, which every node sees the same).
 */
final class EventMessage {

    static final String CHANNEL = "channel";
    static final String TYPE = "event";
    static final String ID = "id";

    private EventMessage() {
    }

    static TextMessage write(Session session, Event event) throws JMSException {
        TextMessage message = session.createTextMessage(event.data());
        message.setStringProperty(CHANNEL, event.channel());
        message.setStringProperty(TYPE, event.type());
        message.setStringProperty(ID, event.id());
        return message;
    }

    /** Reads an event; the caller validates it, since messages may come from publishers other than ours. */
    static Event read(Message message) throws JMSException {
        if (!(message instanceof TextMessage text)) {
            throw new IllegalArgumentException("not a text message: " + message.getClass().getSimpleName());
        }
        String id = message.getStringProperty(ID);
        if (id == null) {
            id = message.getJMSMessageID();
        }
        String type = message.getStringProperty(TYPE);
        return new Event(id, message.getStringProperty(CHANNEL), type == null ? EventType.DEFAULT : type, text.getText());
    }
}
