package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.function.BiConsumer;

/**
 * One live JMS connection to the topic: a consumer session feeding the listener and a producer for publishing.
 * When the connection fails it is thrown away whole and {@link LinkKeeper} opens a new one.
 */
final class JmsLink implements BrokerLink {

    private final Connection connection;
    // JMS sessions are single-threaded: publishers take turns on the producer.
    private final Session producerSession;
    private final MessageProducer producer;
    private volatile boolean failed;

    private JmsLink(Connection connection, Session producerSession, MessageProducer producer) {
        this.connection = connection;
        this.producerSession = producerSession;
        this.producer = producer;
    }

    /**
     * Connects, subscribes {@code listener} to the topic and starts delivery; {@code onFailure} hears of a lost
     * connection, which may be before this method returns (see {@link #failed()}).
     */
    static JmsLink open(ConnectionFactory factory, String user, String password, String topicName,
                          MessageListener listener, BiConsumer<BrokerLink, Exception> onFailure) throws JMSException {
        Connection connection = factory.createConnection(user, password);
        try {
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // One consumer on one session: the listener sees events in the broker's order, one at a time.
            MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createTopic(topicName));
            consumer.setMessageListener(listener);
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producerSession.createProducer(producerSession.createTopic(topicName));
            // Non-durable subscribers store nothing anyway; blocking sends (set on the factory) still report
            // every failure to the publisher.
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            JmsLink opened = new JmsLink(connection, producerSession, producer);
            connection.setExceptionListener(e -> {
                opened.failed = true;
                onFailure.accept(opened, e);
            });
            connection.start();
            return opened;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public synchronized void send(ChannelEvent event) throws JMSException {
        producer.send(EventMessage.write(producerSession, event));
    }

    @Override
    public synchronized void send(PermissionChange change) throws JMSException {
        producer.send(EventMessage.write(producerSession, change));
    }

    @Override
    public boolean failed() {
        return failed;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            // A failed connection may not close cleanly; it is released either way.
        }
    }
}
