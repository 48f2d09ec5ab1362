package io.eventstream.broker;

import io.eventstream.event.Event;
import io.eventstream.subscribe.Delivery;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.jms.JMSException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's link to the JMS topic: starts the configured broker at deployment, publishes events onto the
 * topic, and consumes it with one session so events reach the broadcasters in the broker's order.
 *
 * <p>When the connection to a remote broker fails, the node stays up: its clients keep their streams,
 * publishing fails with {@link BrokerUnavailableException}, and it reconnects on its own with capped
 * backoff. Events published elsewhere while it was away never reached it, so it then tells its clients
 * with {@code stream-reset} (see {@link Delivery#gap()}).
 */
@ApplicationScoped
public class Broker {

    private static final Logger LOG = Logger.getLogger(Broker.class.getName());
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 10_000;

    @Inject
    @ConfigProperty(name = "eventstream.broker", defaultValue = "embedded")
    String mode;

    @Inject
    @ConfigProperty(name = "eventstream.broker.url")
    Optional<String> url;

    @Inject
    @ConfigProperty(name = "eventstream.broker.user")
    Optional<String> user;

    @Inject
    @ConfigProperty(name = "eventstream.broker.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "eventstream.topic", defaultValue = "eventstream")
    String topicName;

    @Inject
    Delivery delivery;

    @Resource
    ManagedThreadFactory threadFactory;

    private EmbeddedBroker embedded;
    private ActiveMQConnectionFactory factory;
    private ScheduledExecutorService reconnector;
    private volatile TopicConnection link;
    private volatile String failure = "the broker has not started yet";
    private volatile boolean stopping;
    private boolean linkedBefore; // only touched by connect()
    private long retryMillis = FIRST_RETRY_MILLIS;

    void start(@Observes Startup startup) {
        try {
            factory = new ActiveMQConnectionFactory(brokerUrl());
            factory.setBlockOnNonDurableSend(true);
            // This class reconnects by itself, with a fresh session and a history gap; the client's own
            // reconnect would block publishers while it waits.
            factory.setReconnectAttempts(0);
        } catch (Exception e) {
            markFailed("the " + mode + " broker cannot be used: " + describe(e));
            LOG.log(Level.SEVERE, "eventstream: check eventstream.broker and eventstream.broker.url", e);
            return;
        }
        reconnector = Executors.newSingleThreadScheduledExecutor(
                threadFactory != null ? threadFactory : Executors.defaultThreadFactory());
        // The first attempt runs now, so that a node whose broker is up is ready when its deployment is.
        connect();
    }

    private String brokerUrl() throws Exception {
        return switch (mode) {
            case "embedded" -> {
                embedded = new EmbeddedBroker();
                yield embedded.start();
            }
            case "artemis" -> url.orElseThrow(() -> new IllegalStateException(
                    "eventstream.broker=artemis needs eventstream.broker.url, e.g. tcp://127.0.0.1:61616"));
            default -> throw new IllegalStateException(
                    "eventstream.broker must be 'embedded' or 'artemis', not '" + mode + "'");
        };
    }

    // Runs at startup, then on the reconnector thread only.
    private void connect() {
        if (stopping) {
            return;
        }
        try {
            TopicConnection opened = TopicConnection.open(factory, user.orElse(null), password.orElse(null),
                    topicName, new TopicListener(delivery::deliver, delivery::permissionChanged), this::connectionFailed);
            link = opened;
            if (opened.failed()) {
                connectionFailed(opened, null); // lost before we held it: its listener found no link to drop
                return;
            }
            if (linkedBefore) {
                delivery.gap(); // whatever was published while we were away never reached this node
            }
            linkedBefore = true;
            retryMillis = FIRST_RETRY_MILLIS;
            failure = null;
            LOG.info(() -> "eventstream: listening on topic '" + topicName + "' (broker " + mode + ")");
        } catch (JMSException | RuntimeException e) {
            markFailed("cannot connect to the " + mode + " broker: " + describe(e));
            LOG.warning(() -> "eventstream: next broker connection attempt in " + retryMillis + " ms");
            reconnector.schedule(this::connect, retryMillis, TimeUnit.MILLISECONDS);
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        }
    }

    private void connectionFailed(TopicConnection failed, JMSException e) {
        if (stopping || failed != link) {
            return; // an old connection, or one connect() has not taken yet and will check itself
        }
        markFailed("the broker connection failed: " + (e == null ? "lost at once" : describe(e)));
        reconnector.execute(() -> {
            if (link == failed) {
                link = null;
                failed.close();
                connect();
            }
        });
    }

    // Artemis often reports a server-side failure with no message (e.g. an empty INTERNAL_ERROR): name the type.
    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return e.getClass().getSimpleName() + (e.getCause() != null ? " caused by " + describe(e.getCause()) : "")
                + "; the server log may say more";
    }

    private void markFailed(String reason) {
        failure = reason;
        LOG.severe(() -> "eventstream: unhealthy: " + reason);
    }

    /** Sends an event onto the topic, returning once the broker has accepted it. */
    public void publish(Event event) {
        send(() -> "publish to '" + event.channel() + "'", link -> link.send(event));
    }

    /** Tells every node that {@code change.user()}'s access changed, returning once the broker has accepted it. */
    public void publish(PermissionChange change) {
        send(() -> "announce a permission change of '" + change.user() + "'", link -> link.send(change));
    }

    private interface Send {
        void to(TopicConnection link) throws JMSException;
    }

    // What is being sent is only described when it fails: no string building per event.
    private void send(Supplier<String> what, Send send) {
        TopicConnection current = link;
        String reason = failure;
        if (reason != null || current == null) {
            throw new BrokerUnavailableException("cannot " + what.get() + ": "
                    + (reason != null ? reason : "the broker is reconnecting"));
        }
        try {
            send.to(current);
        } catch (JMSException | RuntimeException e) {
            throw new BrokerUnavailableException("cannot " + what.get() + ": " + describe(e), e);
        }
    }

    /** Why the broker cannot be used, or empty when it is up. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@code embedded} or {@code artemis}. */
    public String mode() {
        return mode;
    }

    @PreDestroy
    void stop() {
        stopping = true;
        failure = "the application is shutting down";
        if (reconnector != null) {
            reconnector.shutdownNow();
            try {
                reconnector.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TopicConnection current = link;
        if (current != null) {
            current.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (embedded != null) {
            embedded.stop();
        }
    }
}
