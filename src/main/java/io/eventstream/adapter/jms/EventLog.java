package io.eventstream.adapter.jms;

import io.eventstream.core.config.Settings;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * The event log on the broker: a durable Artemis ring queue bound to the topic's address, so it receives every message
 * of the topic in the broker's order and keeps the newest {@code size} (the oldest goes when a new one arrives).
 * Nodes never consume it; they browse it when they link to the topic.
 */
final class EventLog {

    // How long a browse waits for the next message before it takes what it has: fewer than the queue counted at the
    // start arrive only when the ring pushed some out meanwhile, and then newer ones keep coming.
    private static final long QUIET_MILLIS = 2_000;

    private final SimpleString queue;
    private final String address;
    private final long size;

    /** The log of {@code topic}: the queue {@code <topic>.log}, keeping {@code size} messages. */
    EventLog(String topic, long size) {
        this.queue = SimpleString.of(topic + ".log");
        this.address = topic;
        this.size = size;
    }

    /** The log the settings ask for: of {@code eventstream.topic}, keeping {@code eventstream.history.total}. */
    static EventLog of(Settings settings) {
        return new EventLog(settings.topic(), settings.historyTotal());
    }

    String queueName() {
        return queue.toString();
    }

    long size() {
        return size;
    }

    /** How operators see it, e.g. in {@code /status}. */
    @Override
    public String toString() {
        return "ring queue " + queue + " of " + size + " events on the broker";
    }

    /**
     * Makes sure the ring queue exists with this size, creating it when it does not; throws saying what to do when it
     * cannot be created or has another shape.
     */
    void ensure(ClientSession session) throws ActiveMQException {
        ClientSession.QueueQuery found = findOrCreate(session, QueueConfiguration.of(queue).setAddress(address)
                .setRoutingType(RoutingType.MULTICAST).setDurable(true).setRingSize(size)
                .setFilterString(EventMessage.NOT_PRESENCE).setAutoCreateAddress(true),
                refused -> "cannot create the event log, the ring queue '" + queue + "' on address '" + address + "': "
                        + refused + ". Give the broker user permission to create durable queues on that address"
                        + " (createDurableQueue), or create the queue yourself: durable, multicast, ring-size " + size
                        + ", filter " + EventMessage.NOT_PRESENCE);
        if (found == null) {
            return; // created as wanted
        }
        Long ring = found.getRingSize();
        if (!found.isDurable() || found.getRoutingType() != RoutingType.MULTICAST || !address.equals(String.valueOf(found.getAddress()))) {
            throw new IllegalStateException("the queue '" + queue + "' on the broker is not this hub's event log (it must be"
                    + " durable, multicast, on address '" + address + "'): delete it or choose another eventstream.topic");
        }
        if (!EventMessage.NOT_PRESENCE.equals(String.valueOf(found.getFilterString()))) {
            // A log made before presence reports existed would keep them, and they would push the events out.
            throw new IllegalStateException("the event log '" + queue + "' on the broker has the filter '"
                    + found.getFilterString() + "', not \"" + EventMessage.NOT_PRESENCE + "\" (an event log created by a version"
                    + " without presence keeps every message): delete the queue (artemis queue delete --name " + queue + "; its"
                    + " events are lost) so that the next node creates it with the filter, or add the filter yourself");
        }
        if (ring == null || ring != size) {
            throw new IllegalStateException("the event log '" + queue + "' on the broker keeps " + ring + " events but"
                    + " eventstream.history.total is " + size + ": give every node the same eventstream.history.total, or"
                    + " delete the queue (artemis queue delete --name " + queue + "; its events are lost) so that the next"
                    + " node creates it with the new size");
        }
    }

    /**
     * Creates the queue {@code wanted} unless it exists, and returns what the broker holds under its name, or null when
     * this call created it (as wanted). Another node may create it at the same moment: then it is found. A broker that
     * refuses throws, with {@code refusal} given the broker's reason (what to tell the operator).
     */
    static ClientSession.QueueQuery findOrCreate(ClientSession session, QueueConfiguration wanted,
                                                 Function<String, String> refusal) throws ActiveMQException {
        ClientSession.QueueQuery found = session.queueQuery(wanted.getName());
        if (found.isExists()) {
            return found;
        }
        try {
            session.createQueue(wanted);
            return null;
        } catch (ActiveMQQueueExistsException e) {
            return session.queueQuery(wanted.getName()); // another node created it at the same moment
        } catch (ActiveMQException e) {
            throw new IllegalStateException(refusal.apply(LinkKeeper.describe(e)), e);
        }
    }

    /**
     * What to tell the operator when a browse read more messages than the ring keeps, or null. Artemis does not count
     * paged messages against a ring queue's size: a broker that pages the topic's address (its memory for addresses,
     * {@code global-max-size}, is full) lets the log grow past its bound, and its restart may then lose part of it.
     */
    String overfull(int browsed) {
        if (browsed <= size) {
            return null;
        }
        return "the event log '" + queue + "' held " + browsed + " messages, more than its ring size " + size
                + ": the broker is paging the topic's address, and Artemis does not count paged messages against a ring"
                + " queue's size, so the log is not bounded and a broker restart may lose part of it. Give the broker more"
                + " memory for its addresses (global-max-size, by default half its heap) than the log needs, about"
                + " eventstream.history.total x (1 KiB + twice the mean event data size), or lower eventstream.history.total";
    }

    /**
     * Hands {@code each} every message the log holds, oldest first, as JMS messages, as they arrive: the caller reads
     * one while the broker's thread delivers the next. The session must be started; its other consumers must not be.
     * A message published during the browse may or may not be included: the caller's live subscription, opened before,
     * has it either way.
     *
     * @return how many messages were browsed
     */
    int browse(ClientSession session, Consumer<Message> each) throws ActiveMQException, JMSException {
        long counted = session.queueQuery(queue).getMessageCount();
        int read = 0;
        if (counted == 0) {
            return read;
        }
        try (ClientConsumer browser = session.createConsumer(queue, true)) {
            while (read < counted) {
                var message = browser.receive(QUIET_MILLIS);
                if (message == null) {
                    break;
                }
                ActiveMQMessage jms = ActiveMQMessage.createMessage(message, session);
                jms.doBeforeReceive(); // decodes the body, as a JMS consumer does
                read++;
                each.accept(jms);
            }
        }
        return read;
    }
}
