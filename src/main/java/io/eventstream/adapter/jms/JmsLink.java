package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    // How long the broker may take to confirm a send before its publisher is told the send failed.
    private static final long CONFIRM_SECONDS = 30;

    private final Connection connection;
    // JMS sessions are single-threaded: publishers take turns on the producer (synchronized on this link).
    private final Session producerSession;
    private final MessageProducer producer; // events and permission changes: to the inbox when sequenced, else the topic
    private final MessageProducer announcer; // presence reports: always straight to the topic (their order is no matter)
    private final InboxSequencer sequencer; // null when not sequenced
    private final boolean caughtUp;
    // Sends not yet confirmed, failed together when the link is closed (a lost connection may never confirm them).
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();
    private volatile boolean failed;

    private JmsLink(Connection connection, Session producerSession, MessageProducer producer, MessageProducer announcer,
                    InboxSequencer sequencer, boolean caughtUp) {
        this.connection = connection;
        this.producerSession = producerSession;
        this.producer = producer;
        this.announcer = announcer;
        this.sequencer = sequencer;
        this.caughtUp = caughtUp;
    }

    /**
     * Connects, subscribes {@code listener} to the topic, catches the node up from {@code log} when there is one
     * (null: history in memory only), and starts delivery; {@code onFailure} hears of a lost connection, which may be
     * before this method returns (see {@link #failed()}). With a {@code sequencer} (a broker other nodes share), events
     * go through the inbox ({@link InboxSequencer}), so that every node gets them in one order; null: straight onto the
     * topic (a node alone on its broker, whose one session keeps the order).
     */
    static JmsLink open(ConnectionFactory factory, String user, String password, String topicName, EventLog log,
                        TopicListener listener, InboxSequencer.Setup sequencer, BiConsumer<BrokerLink, Exception> onFailure)
            throws Exception {
        Connection connection = factory.createConnection(user, password);
        InboxSequencer sequencing = null;
        try {
            Session logSession = null;
            if (log != null || sequencer != null) {
                logSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                ClientSession core = ((ActiveMQSession) logSession).getCoreSession();
                if (log != null) {
                    // The log must exist before the live subscription, so that every event is in one or the other.
                    log.ensure(core);
                }
                if (sequencer != null) {
                    InboxSequencer.ensure(core, topicName);
                }
            }
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // One consumer on one session: the listener sees events in the broker's order, one at a time. Its
            // subscription exists from here on, but delivers only once the connection starts, after the catch-up.
            MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createTopic(topicName));
            consumer.setMessageListener(listener);
            if (log != null) {
                catchUp(log, logSession, listener);
            } else if (logSession != null) {
                logSession.close();
            }
            int deliveryMode = log != null ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producerSession.createProducer(sequencer != null
                    ? producerSession.createQueue(InboxSequencer.queueName(topicName)) : producerSession.createTopic(topicName));
            producer.setDeliveryMode(deliveryMode);
            MessageProducer announcer = producerSession.createProducer(producerSession.createTopic(topicName));
            JmsLink[] opened = new JmsLink[1];
            ExceptionListener failed = e -> {
                opened[0].failed = true;
                onFailure.accept(opened[0], e);
            };
            sequencing = sequencer != null ? InboxSequencer.start(sequencer, topicName, deliveryMode, failed) : null;
            opened[0] = new JmsLink(connection, producerSession, producer, announcer, sequencing, log != null);
            connection.setExceptionListener(failed);
            String marker = log != null ? listener.expectMarker() : null;
            connection.start();
            if (marker != null) {
                // After the messages queued for this node while it read the log: the node has caught up when it hears this.
                opened[0].mark(marker);
            }
            return opened[0];
        } catch (Exception e) {
            if (sequencing != null) {
                sequencing.close();
            }
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
        String overfull = log.overfull(browsed);
        if (overfull != null) {
            LOG.warning(() -> "eventstream: " + overfull);
        }
        int taken = listener.recover(read);
        LOG.info(() -> "eventstream: read and checked " + browsed + " messages from the event log '" + log.queueName() + "' in "
                + TimeUnit.NANOSECONDS.toMillis(readAt - start) + " ms and took in the " + taken + " events new to this node in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readAt) + " ms");
    }

    @Override
    public CompletableFuture<Void> send(List<ChannelEvent> events) throws JMSException {
        Confirmation confirmation = expect(events.size());
        // Sends take turns on the producer only to hand their messages over; the broker confirms asynchronously, so
        // concurrent publishers share its journal writes. One batch's messages go out together and stay in order.
        synchronized (this) {
            for (ChannelEvent event : events) {
                send(EventMessage.write(producerSession, event), confirmation);
            }
        }
        return confirmation.future;
    }

    @Override
    public CompletableFuture<Void> send(PermissionChange change) throws JMSException {
        Confirmation confirmation = expect(1);
        synchronized (this) {
            send(EventMessage.write(producerSession, change), confirmation);
        }
        return confirmation.future;
    }

    @Override
    public CompletableFuture<Void> announce(String report) {
        // Expiring: a report is stale a second later.
        return sendToTopic(session -> EventMessage.writePresence(session, report), EventMessage.PRESENCE_TTL_MILLIS);
    }

    /** Never expiring, however long what is before it takes to deliver. */
    @Override
    public CompletableFuture<Void> mark(String token) {
        return sendToTopic(session -> EventMessage.writeMarker(session, token), Message.DEFAULT_TIME_TO_LIVE);
    }

    /** Writes one message on the producer's session. */
    @FunctionalInterface
    private interface MessageWriter {
        Message write(Session session) throws JMSException;
    }

    // Straight onto the topic, never through the inbox: not persistent, so never in the log (whose filter keeps these
    // out too), and living ttlMillis (0: for ever).
    private CompletableFuture<Void> sendToTopic(MessageWriter writer, long ttlMillis) {
        Confirmation confirmation = expect(1);
        synchronized (this) {
            try {
                announcer.send(writer.write(producerSession), DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                        ttlMillis, confirmation);
            } catch (JMSException | RuntimeException e) {
                confirmation.future.completeExceptionally(e);
            }
        }
        return confirmation.future;
    }

    private Confirmation expect(int messages) {
        Confirmation confirmation = new Confirmation(messages);
        unconfirmed.add(confirmation.future);
        confirmation.future.whenComplete((done, e) -> unconfirmed.remove(confirmation.future));
        return confirmation;
    }

    // A send that fails at once fails its confirmation: the messages of a batch before it may still be confirmed.
    private void send(Message message, Confirmation confirmation) {
        try {
            producer.send(message, confirmation);
        } catch (JMSException | RuntimeException e) {
            confirmation.future.completeExceptionally(e);
        }
    }

    /**
     * Counts the broker's confirmations of a batch of messages down: done when all are in, failed at the first
     * failure or when they take longer than {@value #CONFIRM_SECONDS} s. The broker client calls it on its own
     * thread, one confirmation at a time per session, but a failure may come from another (a closed connection).
     */
    private static final class Confirmation implements CompletionListener {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        private final AtomicInteger pending;

        Confirmation(int messages) {
            pending = new AtomicInteger(messages);
            future.orTimeout(CONFIRM_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void onCompletion(Message sent) {
            if (pending.decrementAndGet() == 0) {
                future.complete(null);
            }
        }

        @Override
        public void onException(Message sent, Exception e) {
            future.completeExceptionally(e);
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
        if (sequencer != null) {
            sequencer.close();
        }
        closeQuietly(connection);
        IllegalStateException lost = new IllegalStateException("the broker connection was closed before it confirmed the send");
        unconfirmed.forEach(confirmation -> confirmation.completeExceptionally(lost));
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            // A failed connection may not close cleanly; it is released either way.
        }
    }
}
