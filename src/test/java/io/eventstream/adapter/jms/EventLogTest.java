package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log's ring queue on a real (embedded, persistent) Artemis broker. */
class EventLogTest {

    @TempDir
    Path data;

    private final EmbeddedBroker broker = new EmbeddedBroker();
    private ActiveMQConnectionFactory factory;
    private Connection connection;
    private ClientSession core;

    @BeforeEach
    void start() throws Exception {
        factory = new ActiveMQConnectionFactory(broker.startPersistent(data, true, Duration.ZERO, new EventLog("t", 3)));
        connection = factory.createConnection();
        core = ((ActiveMQSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE)).getCoreSession();
        core.start();
    }

    @AfterEach
    void stop() throws JMSException {
        connection.close();
        factory.close();
        broker.stop();
    }

    private void publish(String... ids) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createTopic("t"));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (String id : ids) {
            Message message = session.createTextMessage("{}");
            message.setStringProperty(EventMessage.ID, id);
            producer.send(message);
        }
        session.close();
    }

    private List<Message> browsedMessages(EventLog log) throws Exception {
        List<Message> messages = new ArrayList<>();
        assertEquals(log.browse(core, messages::add), messages.size(), "the count browse returns");
        return messages;
    }

    private List<String> browsed(EventLog log) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Message message : browsedMessages(log)) {
            ids.add(message.getStringProperty(EventMessage.ID));
        }
        return ids;
    }

    @Test
    void theLogIsCreatedOnceAndKeepsTheNewestMessagesOfTheTopicOldestFirst() throws Exception {
        EventLog log = new EventLog("t", 3);
        log.ensure(core);
        log.ensure(core); // a second node finds it as it wants it
        assertEquals(List.of(), browsed(log));
        publish("1", "2", "3", "4", "5");
        assertEquals(List.of("3", "4", "5"), browsed(log));
        assertEquals(List.of("3", "4", "5"), browsed(log), "browsing consumes nothing");
    }

    @Test
    void aLogOfAnotherSizeIsRefusedSayingHowToResolveIt() throws Exception {
        new EventLog("t", 3).ensure(core);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new EventLog("t", 5).ensure(core));
        assertTrue(refused.getMessage().contains("keeps 3 events but eventstream.history.total is 5")
                && refused.getMessage().contains("artemis queue delete --name t.log"), refused.getMessage());
    }

    @Test
    void aQueueOfTheLogsNameThatIsNotALogIsRefused() throws Exception {
        core.createQueue(QueueConfiguration.of("t.log").setAddress("elsewhere").setRoutingType(RoutingType.ANYCAST).setDurable(true));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new EventLog("t", 3).ensure(core));
        assertTrue(refused.getMessage().contains("is not this hub's event log"), refused.getMessage());
    }

    @Test
    void aBrokerThatPagesTheTopicLetsTheLogGrowPastItsRingSizeAndTheBrowseSaysWhatToDo() throws Exception {
        EventLog log = new EventLog("t", 3);
        log.ensure(core);
        assertEquals(null, log.overfull(3));
        // The topic's address may hold 2 KiB in memory: beyond it the broker pages (as a broker whose addresses'
        // memory is full does), and Artemis does not count paged messages against the ring's size.
        try (ClientSession management = factory.getServerLocator().createSessionFactory().createSession()) {
            management.start();
            try (ClientRequestor requestor = new ClientRequestor(management, "activemq.management")) {
                ClientMessage request = management.createMessage(false);
                ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, "addAddressSettings", "t",
                        "{\"maxSizeBytes\":2048,\"addressFullMessagePolicy\":\"PAGE\",\"pageSizeBytes\":1024}");
                ClientMessage reply = requestor.request(request);
                assertTrue(ManagementHelper.hasOperationSucceeded(reply), "management: " + ManagementHelper.getResult(reply));
            }
        }
        String[] ids = new String[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "e" + i;
        }
        publish(ids);

        int held = browsed(log).size();
        assertTrue(held > 3, "held " + held);
        String warning = log.overfull(held);
        assertTrue(warning.contains("held " + held + " messages, more than its ring size 3")
                && warning.contains("global-max-size"), warning);
    }
}
