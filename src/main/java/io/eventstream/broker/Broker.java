package io.eventstream.broker;

import io.eventstream.event.Event;
import io.eventstream.subscribe.Delivery;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's link to the JMS topic: starts the configured broker at deployment, publishes events onto the
 * topic, and consumes it with one session so events reach the broadcasters in the broker's order.
 */
@ApplicationScoped
public class Broker {

    private static final Logger LOG = Logger.getLogger(Broker.class.getName());

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

    private EmbeddedBroker embedded;
    private ActiveMQConnectionFactory factory;
    private Connection connection;
    // JMS sessions are single-threaded: publishers take turns on the producer under this lock.
    private final Object producerLock = new Object();
    private Session producerSession;
    private MessageProducer producer;
    private volatile String failure = "the broker has not started yet";

    void start(@Observes Startup startup) {
        try {
            connection = connect();
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = consumerSession.createTopic(topicName);
            MessageConsumer consumer = consumerSession.createConsumer(topic);
            consumer.setMessageListener(new TopicListener(delivery::deliver));
            producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = producerSession.createProducer(producerSession.createTopic(topicName));
            // Nothing is stored for non-durable subscribers anyway; blocking sends (set on the factory)
            // still report every failure to the publisher.
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            connection.setExceptionListener(e -> markFailed("the broker connection failed: " + e.getMessage()));
            connection.start();
            failure = null;
            LOG.info(() -> "eventstream: listening on topic '" + topicName + "' (broker " + mode + ")");
        } catch (Exception e) {
            markFailed("the " + mode + " broker did not start: " + e.getMessage());
            LOG.log(Level.SEVERE, "eventstream: broker start failed; check eventstream.broker and eventstream.broker.url", e);
        }
    }

    private Connection connect() throws Exception {
        String brokerUrl = switch (mode) {
            case "embedded" -> {
                embedded = new EmbeddedBroker();
                yield embedded.start();
            }
            case "artemis" -> url.orElseThrow(() -> new IllegalStateException(
                    "eventstream.broker=artemis needs eventstream.broker.url, e.g. tcp://127.0.0.1:61616"));
            default -> throw new IllegalStateException(
                    "eventstream.broker must be 'embedded' or 'artemis', not '" + mode + "'");
        };
        factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setBlockOnNonDurableSend(true);
        return factory.createConnection(user.orElse(null), password.orElse(null));
    }

    private void markFailed(String reason) {
        failure = reason;
        LOG.severe(() -> "eventstream: unhealthy: " + reason);
    }

    /** Sends an event onto the topic, returning once the broker has accepted it. */
    public void publish(Event event) {
        String reason = failure;
        if (reason != null) {
            throw new BrokerUnavailableException("cannot publish to '" + event.channel() + "': " + reason);
        }
        synchronized (producerLock) {
            try {
                producer.send(EventMessage.write(producerSession, event));
            } catch (JMSException e) {
                throw new BrokerUnavailableException("cannot publish to '" + event.channel() + "': " + e.getMessage(), e);
            }
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
        failure = "the application is shutting down";
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException e) {
            LOG.log(Level.WARNING, "eventstream: broker connection did not close cleanly", e);
        }
        if (factory != null) {
            factory.close();
        }
        if (embedded != null) {
            embedded.stop();
        }
    }
}
