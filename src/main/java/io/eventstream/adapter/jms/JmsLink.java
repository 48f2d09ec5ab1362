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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
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
    // How long the broker may take to confirm a send before its publisher is told the send failed.
    private static final long CONFIRM_SECONDS = 30;

    private final Connection connection;
    // JMS sessions are single-threaded: publishers take turns on the producer (synchronized on this link, which is
    // also the outbox's lock).
    private final Session producerSession;
    private final MessageProducer producer; // events and permission changes: to the inbox when sequenced, else the topic
    private final MessageProducer announcer; // presence reports: always straight to the topic (their order is no matter)
    private final InboxSequencer sequencer; // null when not sequenced
    private final Outbox outbox; // events and permission changes, several events per message under load
    private final ExecutorService flusher; // the outbox's sends that confirmations make room for
    private final boolean caughtUp;
    // Sends not yet confirmed, failed together when the link is closed (a lost connection may never confirm them).
    private final Set<CompletableFuture<Void>> unconfirmed = ConcurrentHashMap.newKeySet();
    private volatile boolean failed;

    private JmsLink(Connection connection, Session producerSession, MessageProducer producer, MessageProducer announcer,
                    InboxSequencer sequencer, boolean caughtUp, int eventsPerMessage, ThreadFactory threads) {
        this.connection = connection;
        this.producerSession = producerSession;
        this.producer = producer;
        this.announcer = announcer;
        this.sequencer = sequencer;
        this.caughtUp = caughtUp;
        this.flusher = Executors.newSingleThreadExecutor(threads);
        this.outbox = new Outbox(this, new Outbox.Wire() {
            @Override
            public void send(List<ChannelEvent> events, CompletionListener done) throws JMSException {
                producer.send(EventMessage.write(producerSession, events), done);
            }

            @Override
            public void send(PermissionChange change, CompletionListener done) throws JMSException {
                producer.send(EventMessage.write(producerSession, change), done);
            }
        }, eventsPerMessage, flusher);
    }

    /**
     * Connects, subscribes {@code listener} to the topic, catches the node up from {@code log} when there is one
     * (null: history in memory only), and starts delivery; {@code onFailure} hears of a lost connection, which may be
     * before this method returns (see {@link #failed()}). With a {@code sequencer} (a broker other nodes share), events
     * go through the inbox ({@link InboxSequencer}), so that every node gets them in one order; null: straight onto the
     * topic (a node alone on its broker, whose one session keeps the order). Up to {@code eventsPerMessage} events
     * published together or while the broker confirmed earlier ones travel as one message ({@link Outbox}); the
     * outbox's sends run on a thread from {@code threads}.
     */
    static JmsLink open(ConnectionFactory factory, String user, String password, String topicName, EventLog log,
                        TopicListener listener, InboxSequencer.Setup sequencer, int eventsPerMessage, ThreadFactory threads,
                        BiConsumer<BrokerLink, Exception> onFailure)
            throws Exception {
        Connection connection = factory.createConnection(user, password);
        InboxSequencer sequencing = null;
        try {
            int deliveryMode = log != null ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
            // A lost connection, of the link or of its sequencer, may be reported before the link exists: it is then
            // marked failed as it is made, and the keeper, seeing that, retries.
            JmsLink[] opened = new JmsLink[1];
            Exception[] lostEarly = new Exception[1];
            ExceptionListener failed = e -> {
                JmsLink link;
                synchronized (opened) {
                    link = opened[0];
                    if (link == null) {
                        lostEarly[0] = e;
                        return;
                    }
                }
                link.failed = true;
                onFailure.accept(link, e);
            };
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
                    // Before the catch-up, whose join marker some sequencer must move, this node's if no other runs.
                    sequencing = InboxSequencer.start(sequencer, topicName, deliveryMode, failed);
                }
            }
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // One consumer on one session: the listener sees events in the broker's order, one at a time. Its
            // subscription exists from here on, but delivers only once the connection starts, after the catch-up.
            MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createTopic(topicName));
            consumer.setMessageListener(listener);
            if (log != null) {
                catchUp(log, logSession, listener, sequencer != null ? topicName : null);
            } else if (logSession != null) {
                logSession.close();
            }
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producerSession.createProducer(sequencer != null
                    ? producerSession.createQueue(InboxSequencer.queueName(topicName)) : producerSession.createTopic(topicName));
            producer.setDeliveryMode(deliveryMode);
            MessageProducer announcer = producerSession.createProducer(producerSession.createTopic(topicName));
            synchronized (opened) {
                opened[0] = new JmsLink(connection, producerSession, producer, announcer, sequencing, log != null,
                        eventsPerMessage, threads);
                opened[0].failed = lostEarly[0] != null;
            }
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
    // sequencedTopic: on a shared broker, the topic whose join marker (see JoinMarker) must be back before the log is
    // read; null on a node alone on its broker, which sends with no transaction.
    private static void catchUp(EventLog log, Session session, TopicListener listener, String sequencedTopic) throws Exception {
        long start = System.nanoTime();
        ClientSession core = ((ActiveMQSession) session).getCoreSession();
        core.start();
        if (sequencedTopic != null) {
            new JoinMarker(session, sequencedTopic, TimeUnit.SECONDS.toMillis(CONFIRM_SECONDS)).await();
        }
        LogCatchUp read = new LogCatchUp((int) Math.min(Integer.MAX_VALUE, log.size()));
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

    /**
     * Hands the events to the outbox: they go at once, or with others in one message once the broker has confirmed
     * what went before (see {@link Outbox}); in order either way.
     */
    @Override
    public CompletableFuture<Void> send(List<ChannelEvent> events) {
        CompletableFuture<Void> confirmed = expect();
        outbox.submit(events, confirmed);
        return confirmed;
    }

    /** How many messages and events this link's outbox sent so far: {@code [messages, events]}. */
    int[] sentCounts() {
        return outbox.sentCounts();
    }

    @Override
    public CompletableFuture<Void> send(PermissionChange change) {
        CompletableFuture<Void> confirmed = expect();
        outbox.submit(change, confirmed);
        return confirmed;
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
        Confirmation confirmation = new Confirmation(expect());
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

    // A send's future: failed when the broker takes longer than CONFIRM_SECONDS to confirm it (counted from now, so
    // also while it waits in the outbox), or when the link closes first.
    private CompletableFuture<Void> expect() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        future.orTimeout(CONFIRM_SECONDS, TimeUnit.SECONDS);
        unconfirmed.add(future);
        future.whenComplete((done, e) -> unconfirmed.remove(future));
        return future;
    }

    /**
     * Completes a message's future with the broker's confirmation. The broker client calls it on its own thread, but a
     * failure may come from another (a closed connection).
     */
    private record Confirmation(CompletableFuture<Void> future) implements CompletionListener {

        @Override
        public void onCompletion(Message sent) {
            future.complete(null);
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
        outbox.close();
        flusher.shutdownNow();
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
