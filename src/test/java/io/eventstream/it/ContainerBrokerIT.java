package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.app.HelloServlet;
import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code eventstream.broker=container} on WildFly 37 with {@code standalone-full.xml}: the topic created by the
 * shipped {@code deploy/wildfly/eventstream-topic.cli}, the hub's WAR with the {@code mdb} JAR added, publishing
 * through the server's connection factory and consuming through the message-driven bean. Events from
 * {@code EventSender}, HTTP and an outside JMS client (over WildFly's HTTP port) reach subscribers in order, and
 * delivery resumes after the server is reloaded. Beside it, an application set to the container's broker whose
 * topic does not exist must fail its own deployment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path JAVA = Path.of(System.getProperty("java.home"));
    private static final Path WILDFLY = Path.of(System.getProperty("wildfly.home", "target/wildfly"));
    private static final Path MDB = Path.of(System.getProperty("eventstream.mdb", "target/eventstream-mdb.jar"));
    private static final String JMS_USER = "jms-client";
    private static final String JMS_PASSWORD = "jms-secret-1!";

    private HubProcess server;
    private Hub hub;

    @BeforeAll
    void start() throws Exception {
        Path hubWar = Deployments.export(Deployments.eventstream().addAsLibrary(MDB.toFile(), "eventstream-mdb.jar"), "container");
        Path noTopic = Deployments.export(Deployments.application("notopic",
                "eventstream.broker.topic-lookup=java:/jms/topic/missing\n", HelloServlet.class), "container");
        server = HubProcess.wildFly("container", JAVA, WILDFLY, List.of(hubWar, noTopic),
                Map.of("eventstream.broker", "container",
                        "eventstream.publish.token", Hub.TOKEN,
                        "eventstream.keepalive", "PT1S",
                        HubProcess.DATA_DIR, ""),
                base -> {
                    HubProcess.runCliOffline(JAVA, WILDFLY, base, Path.of("deploy/wildfly/eventstream-topic.cli"));
                    HubProcess.addApplicationUser(JAVA, WILDFLY, base, JMS_USER, JMS_PASSWORD, "guest");
                });
        server.awaitHub(Duration.ofSeconds(240));
        hub = new Hub(server.base());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void eventsFromEventSenderHttpAndAnOutsideJmsClientReachSubscribersInOrder() throws Exception {
        assertEquals("container", hub.status().getString("broker"));
        try (SseClient client = hub.subscribe("orders")) {
            assertEquals("stream-open", client.next(WAIT).event());
            String overHttp = hub.publishData("orders", "{\"n\":1}");
            String fromJava = probe("it/send/interleaved?channels=orders&from=2&count=1");
            sendFromOutside("orders", "external", "{\"n\":3}");
            List<SseEvent> events = client.take(3, WAIT);
            assertEquals(overHttp, events.get(0).id());
            assertEquals(fromJava, events.get(1).id());
            assertEquals(2, Hub.json(events.get(1).data()).getInt("seq"));
            assertEquals("external", events.get(2).event());
            assertEquals("{\"n\":3}", events.get(2).data());
            assertTrue(events.get(2).id() != null && !events.get(2).id().isBlank(), "the broker's message id");
        }
    }

    @Test
    @Order(2)
    void orderIsKeptOverAThousandEventsFromEventSenderAndFromOutside() throws Exception {
        try (SseClient client = hub.subscribe("thousand", "outside")) {
            assertEquals("stream-open", client.next(WAIT).event());
            String last = probe("it/send/burst?channel=thousand&count=1000");
            List<SseEvent> fromJava = client.take(1000, Duration.ofSeconds(60));
            assertEquals(range(1000), numbers(fromJava, "seq"), "EventSender's events in the order sent");
            assertEquals(last, fromJava.get(999).id());
            sendManyFromOutside("outside", 1000);
            List<SseEvent> fromOutside = client.take(1000, Duration.ofSeconds(60));
            assertEquals(range(1000), numbers(fromOutside, "n"), "the outside client's events in the order sent");
        }
    }

    private static List<Integer> numbers(List<SseEvent> events, String field) {
        return events.stream().map(event -> Hub.json(event.data()).getInt(field)).toList();
    }

    @Test
    @Order(3)
    void aContainerHubWhoseTopicDoesNotExistFailsItsDeployment() throws Exception {
        Optional<String> failure = server.deploymentFailure("notopic.war");
        assertTrue(failure.isPresent(), "notopic.war deployed");
        assertTrue(failure.get().contains("the server has no java:/jms/topic/missing (eventstream.broker.topic-lookup)"), failure.get());
        assertTrue(server.log().contains("eventstream: cannot deploy: eventstream.broker=container, but the server has no"
                + " java:/jms/topic/missing (eventstream.broker.topic-lookup)"), "one SEVERE line saying what to fix");
    }

    @Test
    @Order(4)
    void deliveryResumesAfterTheServerIsReloaded() throws Exception {
        server.reloadWildFly(JAVA, WILDFLY);
        server.awaitHub(Duration.ofSeconds(240));
        hub.awaitStatus(status -> "UP".equals(status.getString("status")), Duration.ofSeconds(60));
        try (SseClient client = hub.subscribe("after-reload")) {
            assertEquals("stream-open", client.next(WAIT).event());
            String overHttp = hub.publishData("after-reload", "{\"n\":1}");
            sendFromOutside("after-reload", "external", "{\"n\":2}");
            List<SseEvent> events = client.take(2, WAIT);
            assertEquals(overHttp, events.get(0).id());
            assertEquals("{\"n\":2}", events.get(1).data());
        }
    }

    private String probe(String path) throws Exception {
        HttpResponse<String> sent = hub.post(path, null, null, "");
        assertEquals(200, sent.statusCode(), sent.body());
        return sent.body();
    }

    private static List<Integer> range(int count) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    // An outside JMS client on WildFly's own broker, through its HTTP port (HTTP upgrade to the broker's protocol),
    // with the message format of the README's "Message format on the topic". A jms-topic's address carries the
    // jms.topic. prefix on WildFly.
    private void sendFromOutside(String channel, String type, String data) throws Exception {
        try (ActiveMQConnectionFactory factory = outsideFactory();
             Connection connection = factory.createConnection(JMS_USER, JMS_PASSWORD)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic("jms.topic.eventstream"));
            producer.send(message(session, channel, type, data));
        }
    }

    private void sendManyFromOutside(String channel, int count) throws Exception {
        try (ActiveMQConnectionFactory factory = outsideFactory();
             Connection connection = factory.createConnection(JMS_USER, JMS_PASSWORD)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic("jms.topic.eventstream"));
            for (int n = 0; n < count; n++) {
                producer.send(message(session, channel, "numbered", "{\"n\":" + n + "}"));
            }
        }
    }

    private static TextMessage message(Session session, String channel, String type, String data) throws Exception {
        TextMessage message = session.createTextMessage(data);
        message.setStringProperty("channel", channel);
        message.setStringProperty("event", type);
        return message;
    }

    private ActiveMQConnectionFactory outsideFactory() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + server.origin().getPort()
                + "?httpUpgradeEnabled=true&httpUpgradeEndpoint=http-acceptor");
    }
}
