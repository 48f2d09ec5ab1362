package io.eventstream.adapter.jms;

import io.eventstream.core.hub.Inbound;
import io.eventstream.core.presence.ClusterPresence;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The message-driven bean of {@code eventstream.broker=container}: the server's resource adapter delivers the
 * server's topic to it, and it hands every message to the hub, as the node's own subscription does otherwise.
 *
 * <p>{@code maxSession=1}: one session, so one message at a time, in the broker's order (a pool of sessions would
 * hand events to the hub concurrently, out of order). No transaction: a message the hub has taken is delivered, and
 * one it refuses is logged and dropped ({@link TopicListener}), never redelivered to fail again.
 *
 * <p>Shipped apart from the library, in the {@code mdb} JAR of the same build: a server without JMS (Payara Micro)
 * would refuse to deploy a message-driven bean, so only applications on a server with JMS add it.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = TopicMessageBean.TOPIC),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TopicMessageBean implements MessageListener {

    /** The topic's JNDI name: {@code eventstream.broker.topic-lookup}'s default, which the bean cannot read. */
    static final String TOPIC = "java:/jms/topic/eventstream";

    @Inject
    Inbound inbound;

    @Inject
    ClusterPresence presence;

    private TopicListener listener;

    @Override
    public void onMessage(Message message) {
        if (listener == null) {
            listener = new TopicListener(inbound, presence); // one session: one instance at a time, never concurrently
        }
        listener.onMessage(message);
    }
}
