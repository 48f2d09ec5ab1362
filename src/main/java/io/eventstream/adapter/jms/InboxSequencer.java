package io.eventstream.adapter.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * Puts the events of every node onto the topic in one order, on a broker that several nodes share.
 *
 * <p>Why: Artemis adds the messages of one session to every queue of the topic in that session's order, but the
 * messages of two sessions sent at the same moment (two nodes publishing) may reach two queues in different orders:
 * the broker adds each message to its queues on the sending session's own executor, and two such loops interleave.
 * Measured on Artemis 2.40 with two sessions sending 20,000 persistent messages each: two subscriptions of the same
 * topic differed at 112 of 40,000 positions. A node's history would then differ from another's, and an id that
 * resumes a client there could skip or repeat events.
 *
 * <p>So nodes send events to one exclusive queue, the inbox ({@code <topic>.inbox}), and its consumer moves them onto
 * the topic from one session: every subscription and the event log get them in the inbox's order. Every node runs a
 * sequencer; the broker gives the inbox to one of them at a time (an exclusive queue) and to the next when that
 * node's connection goes. Each batch is moved in one local transaction (the inbox's acknowledgements and the topic's
 * sends commit together), so a node that dies mid-batch leaves it in the inbox, whole, for the next: nothing is
 * lost or moved twice.
 *
 * <p>Its thread alone uses its session (JMS sessions are single-threaded); {@link #close()} may be called from any
 * thread. A sequencer that stops hands the inbox on in order only if its thread ends its transaction before its
 * consumer closes: Artemis returns a closing consumer's prefetched messages to the inbox and only then gives the inbox
 * to the next consumer, but the messages of a transaction still open go back only when the session ends it. A
 * connection closed in the middle of a batch would let the next node move the prefetched messages first, and the
 * batch after them (measured: 300 to 400 events out of order, every run of {@code InboxSequencerTest}). So
 * {@link #close()} lets the thread finish its batch and close its consumer before the connection closes. A node that
 * dies mid-batch is safe: the broker rolls its transaction back before it closes its consumers, and puts both back in
 * order.
 */
final class InboxSequencer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InboxSequencer.class.getName());
    // Most messages moved per transaction: a batch is what arrived while the previous commit was being written.
    static final int MAX_BATCH = 500;
    // How long a receive waits before it looks whether the sequencer was closed.
    private static final long POLL_MILLIS = 200;
    // How long close() waits for the thread to finish its batch before it closes the connection under it.
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    // After a batch the broker refused, before the next try (the broker redelivers it, and dead-letters it after its
    // max-delivery-attempts).
    private static final long RETRY_MILLIS = 1_000;

    private final Connection connection;
    private final Session session;
    private final MessageConsumer inbox;
    private final MessageProducer topic;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Where a node's sequencer connects: a connection factory of its own, without a confirmation window (the transacted
     * session needs none). A connection with one is kept by the broker for a reconnect until its TTL runs out, also
     * after its socket closed, so a killed node would hold the inbox that long; without one the broker drops it, and
     * hands the inbox on, as soon as the socket closes.
     */
    record Setup(ConnectionFactory factory, String user, String password, ThreadFactory threads) {
    }

    private InboxSequencer(Connection connection, Session session, MessageConsumer inbox, MessageProducer topic,
                           ThreadFactory threads) {
        this.connection = connection;
        this.session = session;
        this.inbox = inbox;
        this.topic = topic;
        this.thread = threads.newThread(this::run);
    }

    /** The inbox of {@code topic}. */
    static String queueName(String topic) {
        return topic + ".inbox";
    }

    /**
     * Makes sure the inbox exists, durable and exclusive, creating it when it does not; throws saying what to do when
     * it cannot be created or has another shape.
     */
    static void ensure(ClientSession session, String topic) throws ActiveMQException {
        SimpleString queue = SimpleString.of(queueName(topic));
        ClientSession.QueueQuery found = EventLog.findOrCreate(session, QueueConfiguration.of(queue).setAddress(queue)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true).setExclusive(true).setAutoCreateAddress(true),
                refused -> "cannot create the inbox, the queue '" + queue + "': " + refused + ". Give the broker user"
                        + " permission to create durable queues on that address (createDurableQueue), or create the queue"
                        + " yourself: durable, anycast, exclusive, on the address '" + queue + "'");
        if (found == null) {
            return; // created as wanted
        }
        if (!found.isDurable() || found.getRoutingType() != RoutingType.ANYCAST || !Boolean.TRUE.equals(found.isExclusive())) {
            throw new IllegalStateException("the queue '" + queue + "' on the broker is not this hub's inbox (it must be durable,"
                    + " anycast and exclusive, so that one node at a time puts events onto the topic): delete it or choose"
                    + " another eventstream.topic");
        }
    }

    /**
     * Connects and starts moving the inbox of {@code topicName} onto the topic; {@code onFailure} hears of a lost
     * connection.
     */
    static InboxSequencer start(Setup setup, String topicName, int deliveryMode, ExceptionListener onFailure)
            throws JMSException {
        Connection connection = setup.factory().createConnection(setup.user(), setup.password());
        try {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer inbox = session.createConsumer(session.createQueue(queueName(topicName)));
            MessageProducer topic = session.createProducer(session.createTopic(topicName));
            topic.setDeliveryMode(deliveryMode);
            InboxSequencer started = new InboxSequencer(connection, session, inbox, topic, setup.threads());
            connection.setExceptionListener(onFailure);
            connection.start();
            started.thread.start();
            return started;
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void run() {
        try {
            moveUntilClosed();
        } finally {
            if (!closed) {
                // Only an Error gets here: let the broker give the inbox to another node rather than hold it unread.
                LOG.severe("eventstream: the inbox's sequencer stopped; the broker hands the inbox to another node");
                rollbackQuietly();
            }
            // After the last batch was committed (or rolled back): the broker returns the prefetched messages to the
            // inbox ahead of everything else, then gives it to the next node (see the class comment).
            closeConsumerQuietly();
        }
    }

    private void moveUntilClosed() {
        while (!closed) {
            try {
                Message first = inbox.receive(POLL_MILLIS);
                if (first == null) {
                    continue; // nothing yet, or another node holds the inbox
                }
                int moved = 0;
                for (Message next = first; next != null; next = moved < MAX_BATCH ? inbox.receiveNoWait() : null) {
                    move(next);
                    moved++;
                }
                session.commit();
            } catch (JMSException | RuntimeException e) {
                if (closed) {
                    return;
                }
                // A lost connection is reported to the link keeper by the connection's exception listener, which opens
                // a new link with a new sequencer; anything else is a batch the broker refused: it stays in the inbox.
                LOG.log(Level.WARNING, "eventstream: could not move events from the inbox onto the topic; they stay in the"
                        + " inbox and are tried again", e);
                rollbackQuietly();
                pause();
            }
        }
    }

    // Keeps the publication time the node gave it (the message's timestamp), which the topic's send replaces.
    private void move(Message message) throws JMSException {
        if (message instanceof ActiveMQMessage ours && !message.propertyExists(EventMessage.PUBLISHED_AT)) {
            ours.getCoreMessage().putLongProperty(EventMessage.PUBLISHED_AT, message.getJMSTimestamp());
        }
        topic.send(message);
    }

    private void rollbackQuietly() {
        try {
            session.rollback();
        } catch (JMSException | RuntimeException e) {
            // A broken session is released with its connection; the broker returns its batch to the inbox either way.
        }
    }

    private void closeConsumerQuietly() {
        try {
            inbox.close();
        } catch (JMSException | RuntimeException e) {
            // Closed with its connection either way.
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS); // a retry's back-off, not a synchronisation
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /**
     * Stops moving: the thread commits the batch it is moving and closes its consumer, then the connection closes.
     * Waits for that up to {@value #CLOSE_WAIT_MILLIS} ms; a thread still busy then (a broker that does not answer) has
     * its connection closed under it, and its open batch is rolled back and stays in the inbox.
     */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warning(() -> "eventstream: the inbox's sequencer did not finish its batch within " + CLOSE_WAIT_MILLIS
                        + " ms; its connection is closed under it, and the broker returns the batch to the inbox");
            }
        }
        JmsLink.closeQuietly(connection);
    }
}
