package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The link to the server's own JMS ({@code eventstream.broker=container}): publishes through the server's connection
 * factory onto the server's topic; the server's message-driven bean ({@link TopicMessageBean}) consumes it.
 *
 * <p>Each send borrows a connection from the server's pool for its messages and gives it back: that is how a
 * container-managed factory is meant to be used, and a server does not allow asynchronous sends on it (JMS 2.0,
 * 12.2), so a send returns once the server's broker has taken the messages. It keeps no connection of its own, so
 * it never fails as a whole: a send that fails fails alone, and the next one borrows a fresh connection.
 */
final class ContainerLink implements BrokerLink {

    private final ConnectionFactory factory;
    private final Topic topic;

    private ContainerLink(ConnectionFactory factory, Topic topic) {
        this.factory = factory;
        this.topic = topic;
    }

    /**
     * Looks up the server's connection factory and topic by their JNDI names; fails, naming the key to change, when
     * the server has either not (no JMS, or the topic not created: {@code deploy/wildfly/eventstream-topic.cli}).
     */
    static ContainerLink lookUp(String factoryName, String topicName) {
        return new ContainerLink(lookUp(factoryName, ConnectionFactory.class, "eventstream.broker.connection-factory",
                "a server with JMS, such as WildFly with standalone-full.xml"),
                lookUp(topicName, Topic.class, "eventstream.broker.topic-lookup",
                        "the topic, e.g. with deploy/wildfly/eventstream-topic.cli"));
    }

    private static <T> T lookUp(String name, Class<T> type, String key, String needs) {
        Object found;
        try {
            found = InitialContext.doLookup(name);
        } catch (NamingException e) {
            throw new IllegalStateException("eventstream.broker=container, but the server has no " + name + " (" + key
                    + "): it needs " + needs + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (!type.isInstance(found)) {
            throw new IllegalStateException("eventstream.broker=container, but " + name + " (" + key + ") is a "
                    + found.getClass().getName() + ", not a " + type.getSimpleName());
        }
        return type.cast(found);
    }

    @Override
    public CompletableFuture<Void> send(List<ChannelEvent> events) throws JMSException {
        return send(session -> {
            List<Message> messages = new ArrayList<>(events.size());
            for (ChannelEvent event : events) {
                messages.add(EventMessage.write(session, event));
            }
            return messages;
        });
    }

    @Override
    public CompletableFuture<Void> send(PermissionChange change) throws JMSException {
        return send(session -> List.of(EventMessage.write(session, change)));
    }

    @Override
    public CompletableFuture<Void> announce(String report) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(topic);
            producer.send(EventMessage.writePresence(session, report), DeliveryMode.NON_PERSISTENT,
                    Message.DEFAULT_PRIORITY, EventMessage.PRESENCE_TTL_MILLIS);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** What to send, written on the borrowed connection's session. */
    private interface MessageWriter {
        List<Message> write(Session session) throws JMSException;
    }

    // One borrowed connection and one producer for all the messages, in order: the topic keeps a batch's order.
    // Persistent, so that the send returns only once the broker has routed the message (Artemis blocks on durable
    // sends, and a server's pooled factory keeps that default): the next send borrows another connection, and a
    // non-persistent send still on its way over the first could be overtaken (ContainerBrokerIT caught 694-698
    // arriving after 699-707). The message-driven bean's subscription is not durable, so nothing is written to disk.
    private CompletableFuture<Void> send(MessageWriter messages) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (Message message : messages.write(session)) {
                producer.send(message);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The server's broker delivers through the message-driven bean: nothing to catch up from here. */
    @Override
    public boolean caughtUp() {
        return true;
    }

    @Override
    public boolean failed() {
        return false;
    }

    @Override
    public void close() {
        // nothing held
    }
}
