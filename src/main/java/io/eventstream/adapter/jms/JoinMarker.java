package io.eventstream.adapter.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/**
 * On a shared broker, makes sure that the event log holds every message that was on its way to the topic when the
 * node subscribed, before the node reads the log.
 *
 * <p>Why: Artemis routes a message of a transaction when it is sent and adds it to the queues only when the
 * transaction commits. The inbox's sequencer moves events in transactions, so a node that subscribes while one is
 * open misses that transaction's messages sent before it subscribed, and finds them in the log only once the
 * transaction commits; a log read before the commit has them neither way, and the node would miss them for good. So
 * the node sends a marker through the inbox after it subscribed and reads the log once the marker is back: the
 * sequencer moves the inbox in order, one transaction after the other, so every transaction open when the node
 * subscribed has committed by then (or rolled back, its messages going back to the inbox ahead of the marker).
 *
 * <p>The marker is a catch-up marker ({@link EventMessage#writeMarker}: a presence message, kept out of the log by its
 * filter) with a token no hub acts on; a temporary queue of its own, with a filter on the token, hears it come back.
 */
final class JoinMarker {

    private final Session session;
    private final String topic;
    private final long timeoutMillis;

    /**
     * @param session a session of the node's connection whose core session is started, and that nothing else consumes
     *                with meanwhile
     */
    JoinMarker(Session session, String topic, long timeoutMillis) {
        this.session = session;
        this.topic = topic;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends the marker through the inbox and waits until it is back on the topic; throws when it is not in time. */
    void await() throws ActiveMQException, JMSException {
        String token = "join-" + UUID.randomUUID();
        SimpleString probe = SimpleString.of(topic + ".join." + token);
        ClientSession core = ((ActiveMQSession) session).getCoreSession();
        core.createQueue(QueueConfiguration.of(probe).setAddress(topic).setRoutingType(RoutingType.MULTICAST)
                .setDurable(false).setTemporary(true).setFilterString(EventMessage.MARKER + " = '" + token + "'"));
        try (ClientConsumer heard = core.createConsumer(probe);
             MessageProducer inbox = session.createProducer(session.createQueue(InboxSequencer.queueName(topic)))) {
            inbox.send(EventMessage.writeMarker(session, token), DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                    Message.DEFAULT_TIME_TO_LIVE);
            ClientMessage back = heard.receive(timeoutMillis);
            if (back == null) {
                throw new IllegalStateException("the inbox's sequencer did not move this node's join marker onto the topic"
                        + " within " + timeoutMillis + " ms: the node holding the inbox is stuck or cut off; the broker"
                        + " gives the inbox to another node once it drops that node's connection");
            }
            back.acknowledge();
        } finally {
            core.deleteQueue(probe);
        }
    }
}
