package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/**
 * One live JMS connection to the topic: a consumer session feeding the listener and a producer for publishing.
 * When the connection fails it is thrown away whole and {@link LinkKeeper} opens a new one.
 *
 * <p>With an event log, events are sent persistent (the broker's journal keeps them in the log) and the link catches
 * the node up from the log before its listener hears anything live.
 */
final class JmsLink implements BrokerLink {

    private static final Logger LOG = Logger.getLogger(JmsLink.class.getName());
    // How long a publisher waits for the broker to confirm a send before it is told the send failed.
    private static final long CONFIRM_SECONDS = 30;

    private final Connection connection;
    // JMS sessions are single-threaded: publishers take turns on the producer, but only to hand it a message; they wait
    // for the broker's confirmation outside the lock, so concurrent sends share the broker's journal writes.
    private final Session producerSession;
    private final MessageProducer producer;
    private final boolean caughtUp;
    // Sends not yet confirmed, failed together when the link is closed (a lost connection may never confirm them).
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();
    private volatile boolean failed;

    private JmsLink(Connection connection, Session producerSession, MessageProducer producer, boolean caughtUp) {
        this.connection = connection;
        this.producerSession = producerSession;
        this.producer = producer;
        this.caughtUp = caughtUp;
    }

    /**
     * Connects, subscribes {@code listener} to the topic, catches the node up from {@code log} when there is one
     * (null: history in memory only), and starts delivery; {@code onFailure} hears of a lost connection, which may be
     * before this method returns (see {@link #failed()}).
     */
    static JmsLink open(ConnectionFactory factory, String user, String password, String topicName, EventLog log,
                        TopicListener listener, BiConsumer<BrokerLink, Exception> onFailure) throws Exception {
        Connection connection = factory.createConnection(user, password);
        try {
            Session logSession = null;
            if (log != null) {
                // The log must exist before the live subscription, so that every event is in one or the other.
                logSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                log.ensure(((ActiveMQSession) logSession).getCoreSession());
            }
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // One consumer on one session: the listener sees events in the broker's order, one at a time. Its
            // subscription exists from here on, but delivers only once the connection starts, after the catch-up.
            MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createTopic(topicName));
            consumer.setMessageListener(listener);
            if (log != null) {
                catchUp(log, logSession, listener);
            }
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producerSession.createProducer(producerSession.createTopic(topicName));
            producer.setDeliveryMode(log != null ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            JmsLink opened = new JmsLink(connection, producerSession, producer, log != null);
            connection.setExceptionListener(e -> {
                opened.failed = true;
                onFailure.accept(opened, e);
            });
            connection.start();
            return opened;
        } catch (Exception e) {
            closeQuietly(connection);
            throw e;
        }
    }

    // The log session alone is started (the connection is not), so the live subscription holds its events meanwhile.
    private static void catchUp(EventLog log, Session session, TopicListener listener) throws Exception {
        long start = System.nanoTime();
        ClientSession core = ((ActiveMQSession) session).getCoreSession();
        core.start();
        LogCatchUp read = new LogCatchUp();
        int browsed = log.browse(core, read);
        session.close();
        long readAt = System.nanoTime();
        int taken = listener.recover(read);
        LOG.info(() -> "eventstream: read and checked " + browsed + " messages from the event log '" + log.queueName() + "' in "
                + TimeUnit.NANOSECONDS.toMillis(readAt - start) + " ms and took in the " + taken + " events new to this node in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readAt) + " ms");
    }

    @Override
    public void send(ChannelEvent event) throws Exception {
        confirmed(session -> EventMessage.write(session, event));
    }

    @Override
    public void send(PermissionChange change) throws Exception {
        confirmed(session -> EventMessage.write(session, change));
    }

    /** Writes a message on the producer's session. */
    @FunctionalInterface
    private interface MessageMaker {
        Message write(Session session) throws JMSException;
    }

    // Sends and waits for the broker's confirmation (for a persistent message: written to its journal).
    private void confirmed(MessageMaker maker) throws Exception {
        CompletableFuture<Void> confirmation = new CompletableFuture<>();
        unconfirmed.add(confirmation);
        try {
            synchronized (this) {
                producer.send(maker.write(producerSession), new CompletionListener() {
                    @Override
                    public void onCompletion(Message sent) {
                        confirmation.complete(null);
                    }

                    @Override
                    public void onException(Message sent, Exception e) {
                        confirmation.completeExceptionally(e);
                    }
                });
            }
            confirmation.get(CONFIRM_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            unconfirmed.remove(confirmation);
        }
    }

    @Override
    public boolean failed() {
        return failed;
    }

    @Override
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void close() {
        closeQuietly(connection);
        IllegalStateException lost = new IllegalStateException("the broker connection was closed before it confirmed the send");
        unconfirmed.forEach(confirmation -> confirmation.completeExceptionally(lost));
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            // A failed connection may not close cleanly; it is released either way.
        }
    }
}
