package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.ArtemisProcess;
import io.eventstream.it.support.ExternalTools;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.NginxProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import io.eventstream.it.support.TwoNodes;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two hub nodes (two Payara Micro processes) on one real Artemis broker in its own JVM: they must behave as
 * one hub to clients, and survive the broker's crash without losing anything silently. They deploy the WAR as built
 * with no {@code eventstream.demo}, so they also show what a production node serves by default.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test kills a node
class MultiNodeIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private static TwoNodes cluster;
    private static ArtemisProcess broker;
    private static HubProcess nodeA;
    private static HubProcess nodeB;
    private static NginxProcess nginx;
    private static Hub a;
    private static Hub b;

    @BeforeAll
    static void startBrokerAndNodes() throws Exception {
        cluster = TwoNodes.start("node", HubProcess.WAR, Map.of(), Map.of());
        broker = cluster.broker;
        nodeA = cluster.nodeA;
        nodeB = cluster.nodeB;
        a = cluster.a;
        b = cluster.b;
        if (NginxProcess.installed()) {
            nginx = NginxProcess.inFrontOf(List.of(nodeA.base(), nodeB.base()));
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String publish(Hub hub, String channel, String data) throws Exception {
        return hub.publishData(channel, data);
    }

    @Test
    void anEventPublishedOnEitherNodeReachesTheSubscribersOfBothInTheSameOrder() throws Exception {
        try (SseClient onA = a.subscribe("both-ways"); SseClient onB = b.subscribe("both-ways", "other")) {
            assertEquals("stream-open", onA.next(WAIT).event());
            assertEquals("stream-open", onB.next(WAIT).event());
            for (int i = 0; i < 10; i++) {
                publish(i % 2 == 0 ? a : b, "both-ways", String.valueOf(i));
            }
            List<SseEvent> seenOnA = onA.take(10, WAIT);
            List<SseEvent> seenOnB = onB.take(10, WAIT);
            assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), SseEvent.data(seenOnA));
            assertEquals(seenOnA, seenOnB, "same events, ids and order on both nodes");
        }
    }

    @Test
    void withoutEventstreamDemoTheDemoPageAndTheClockStreamAre404ButTheJavaScriptClientIsServed() throws Exception {
        // These nodes run the WAR as built, and TwoNodes sets no eventstream.demo: the default applies.
        for (String path : List.of("", "index.html", "demo.js", "demo.css")) {
            HttpResponse<String> response = a.get(path);
            assertEquals(404, response.statusCode(), "/" + path + ": " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                    "/" + path + ": " + response.headers().map());
            assertEquals("not-found", Hub.json(response.body()).getString("condition"), "/" + path);
        }
        try (SseClient clock = SseClient.open(a.uri("streams/clock"))) {
            assertEquals(404, clock.status(), clock.errorBody());
            assertTrue(clock.header("Content-Type").startsWith("application/json"), clock.header("Content-Type"));
            assertEquals("not-found", Hub.json(clock.errorBody()).getString("condition"));
        }
        HttpResponse<String> script = a.get("eventstream.js");
        assertEquals(200, script.statusCode(), script.body());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"),
                script.headers().map().toString());
        assertTrue(script.body().contains("ReconnectingEventSource"), "the JavaScript client itself");
    }

    @Test
    void plainJmsStompAndAmqpClientsPublishStraightOntoTheTopic() throws Exception {
        try (SseClient onA = a.subscribe("from-outside"); SseClient onB = b.subscribe("from-outside")) {
            assertEquals("stream-open", onA.next(WAIT).event());
            assertEquals("stream-open", onB.next(WAIT).event());

            sendJms(session -> session.createTopic("eventstream"), "from-outside", "jms-event", "{\"from\": \"jms\"}", null);
            sendStomp("eventstream", "MULTICAST", "from-outside", "stomp-event", "{\"from\":\"stomp\"}");
            sendAmqp("from-outside", "amqp-event", "{\"from\":\"amqp\"}");

            for (SseClient client : List.of(onA, onB)) {
                List<SseEvent> events = client.take(3, WAIT);
                assertEquals("jms-event", events.get(0).event());
                assertEquals("{\"from\":\"jms\"}", events.get(0).data(), "data normalized to compact JSON");
                assertFalse(events.get(0).id().isEmpty(), "an event from outside gets an id too");
                assertEquals("stomp-event", events.get(1).event());
                assertEquals("{\"from\":\"stomp\"}", events.get(1).data());
                assertEquals("amqp-event", events.get(2).event());
                assertEquals("{\"from\":\"amqp\"}", events.get(2).data());
            }
        }
    }

    @Test
    void plainJmsAndStompClientsPublishThroughTheInboxInTheClustersOrder() throws Exception {
        try (SseClient onA = a.subscribe("via-inbox"); SseClient onB = b.subscribe("via-inbox")) {
            assertEquals("stream-open", onA.next(WAIT).event());
            assertEquals("stream-open", onB.next(WAIT).event());

            sendJms(session -> session.createQueue("eventstream.inbox"), "via-inbox", "jms-event", "{\"from\": \"jms\"}",
                    "jms-inbox-1");
            sendStomp("eventstream.inbox", "ANYCAST", "via-inbox", "stomp-event", "{\"from\":\"stomp\"}");

            List<SseEvent> atA = onA.take(2, WAIT);
            List<SseEvent> atB = onB.take(2, WAIT);
            assertEquals("jms-inbox-1", atA.get(0).id(), "the publisher's own id");
            assertEquals("{\"from\":\"jms\"}", atA.get(0).data());
            assertEquals("stomp-event", atA.get(1).event());
            assertEquals(atA.stream().map(SseEvent::id).toList(), atB.stream().map(SseEvent::id).toList(),
                    "the same events with the same ids on both nodes");
        }
    }

    /** A plain Artemis JMS client: a persistent text message to {@code destination}, with the event's properties. */
    private static void sendJms(JmsDestination destination, String channel, String type, String body, String id) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             Connection connection = factory.createConnection(ArtemisProcess.USER, ArtemisProcess.PASSWORD)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(destination.in(session));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty("channel", channel);
            message.setStringProperty("event", type);
            if (id != null) {
                message.setStringProperty("id", id);
            }
            producer.send(message);
        }
    }

    /** A topic or queue of a session. */
    @FunctionalInterface
    private interface JmsDestination {
        Destination in(Session session) throws JMSException;
    }

    /** An AMQP 1.0 client (Qpid JMS): a text message to the topic's address, with application properties. */
    private static void sendAmqp(String channel, String type, String body) throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.port());
        try (Connection connection = factory.createConnection(ArtemisProcess.USER, ArtemisProcess.PASSWORD)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty("channel", channel);
            message.setStringProperty("event", type);
            session.createProducer(session.createTopic("eventstream")).send(message);
        }
    }

    /** A STOMP 1.2 client in a few lines: CONNECT, SEND to the destination (an address and its routing type), DISCONNECT. */
    private static void sendStomp(String destination, String routing, String channel, String type, String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nlogin:" + ArtemisProcess.USER + "\npasscode:"
                    + ArtemisProcess.PASSWORD + "\n\n\0").getBytes(StandardCharsets.UTF_8));
            String connected = readFrame(in);
            assertTrue(connected.startsWith("CONNECTED"), connected);
            // No content-length header: Artemis then hands JMS consumers a TextMessage.
            out.write(("SEND\ndestination:" + destination + "\ndestination-type:" + routing + "\nchannel:" + channel + "\nevent:" + type
                    + "\nreceipt:1\n\n" + body + "\0").getBytes(StandardCharsets.UTF_8));
            String receipt = readFrame(in);
            assertTrue(receipt.startsWith("RECEIPT"), receipt);
            out.write("DISCONNECT\n\n\0".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String readFrame(InputStream in) throws Exception {
        StringBuilder frame = new StringBuilder();
        int c;
        while ((c = in.read()) > 0) {
            frame.append((char) c);
        }
        return frame.toString().stripLeading();
    }

    @Test
    void aClientThatReadFromOneNodeResumesOnTheOtherWithExactlyWhatItMissed() throws Exception {
        String lastSeen;
        try (SseClient onA = a.subscribe("cross-a", "cross-b")) {
            assertEquals("stream-open", onA.next(WAIT).event());
            publish(a, "cross-a", "1");
            publish(b, "cross-b", "2");
            List<SseEvent> seen = onA.take(2, WAIT);
            lastSeen = seen.get(1).id();
        }
        publish(a, "cross-a", "3");
        publish(b, "cross-b", "4");
        publish(b, "cross-other", "5");
        publish(a, "cross-b", "6");
        try (SseClient onB = SseClient.open(b.channels("cross-a", "cross-b"), Map.of("Last-Event-ID", lastSeen))) {
            assertEquals("stream-open", onB.next(WAIT).event());
            assertEquals(List.of("3", "4", "6"), SseEvent.data(onB.take(3, WAIT)));
            publish(a, "cross-a", "7");
            assertEquals(List.of("7"), SseEvent.data(onB.take(1, WAIT)));
            assertEquals(List.of(), onB.drain(Duration.ofMillis(300)));
        }
    }

    @Test
    void aBrokerCrashKeepsClientsConnectedRefusesPublishingAndRecoversWithStreamReset() throws Exception {
        try (SseClient onA = a.subscribe("crash"); SseClient onB = b.subscribe("crash", "crash-2")) {
            assertEquals("stream-open", onA.next(WAIT).event());
            assertEquals("stream-open", onB.next(WAIT).event());
            publish(a, "crash", "\"before\"");
            assertEquals(List.of("\"before\""), SseEvent.data(onA.take(1, WAIT)));
            assertEquals(List.of("\"before\""), SseEvent.data(onB.take(1, WAIT)));

            broker.kill();
            a.awaitStatus(status -> "DOWN".equals(status.getString("status")), WAIT);
            b.awaitStatus(status -> "DOWN".equals(status.getString("status")), WAIT);
            var refused = a.publish("crash", "{\"data\":\"while down\"}");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("unavailable", Hub.json(refused.body()).getString("condition"));
            var batchRefused = b.post("events", "Bearer " + Hub.TOKEN, "application/json",
                    "[{\"channel\":\"crash\",\"data\":\"batch while down\"}]");
            assertEquals(503, batchRefused.statusCode(), batchRefused.body());
            assertEquals("unavailable", Hub.json(batchRefused.body()).getString("condition"));
            // Payara serves the hub's MicroProfile Health checks: not ready (the broker), still live.
            var notReady = a.get("../health/ready");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("\"eventstream-broker\"") && notReady.body().contains("DOWN"), notReady.body());
            var live = a.get("../health/live");
            assertEquals(200, live.statusCode(), live.body());

            int commentsBefore = onA.comments();
            assertEquals(List.of(), onA.drain(Duration.ofSeconds(2)), "nothing was published");
            assertFalse(onA.ended() || onB.ended(), "clients stay connected while the broker is down");
            assertTrue(onA.comments() > commentsBefore, "keep-alive goes on while the broker is down");

            broker.start();
            a.awaitStatus(status -> "UP".equals(status.getString("status")), RECOVERY);
            b.awaitStatus(status -> "UP".equals(status.getString("status")), RECOVERY);
            assertEquals(200, a.get("../health/ready").statusCode(), "ready again");
            // Each node may have missed events published elsewhere while it was cut off: it says so.
            SseEvent resetA = onA.next(WAIT);
            assertEquals("stream-reset", resetA.event());
            assertEquals("{\"channels\":[\"crash\"]}", resetA.data());
            SseEvent resetB = onB.next(WAIT);
            assertEquals("stream-reset", resetB.event());
            assertEquals("{\"channels\":[\"crash\",\"crash-2\"]}", resetB.data());

            publish(b, "crash", "\"after\"");
            assertEquals(List.of("\"after\""), SseEvent.data(onA.take(1, WAIT)));
            assertEquals(List.of("\"after\""), SseEvent.data(onB.take(1, WAIT)));
        }
    }

    @Test
    void throughTheClusterRecipesNginxEachEventArrivesAtOnceWhicheverNodePublishedIt() throws Exception {
        ExternalTools.require(NginxProcess.installed(), "nginx-light");
        Hub proxied = new Hub(nginx.base());
        try (SseClient client = proxied.subscribe("via-nginx")) {
            assertEquals("stream-open", client.next(WAIT).event());
            assertEquals("no-cache", client.header("Cache-Control"));
            // One event at a time, each awaited before the next: a buffering proxy would hold the first back.
            for (int i = 0; i < 6; i++) {
                publish(proxied, "via-nginx", String.valueOf(i));
                assertEquals(String.valueOf(i), client.next(WAIT).data());
            }
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void whenANodeDiesItsClientsResumeOnTheOtherThroughNginx() throws Exception {
        ExternalTools.require(NginxProcess.installed(), "nginx-light");
        Hub proxied = new Hub(nginx.base());
        String lastSeen;
        List<String> missed = new ArrayList<>();
        try (SseClient client = proxied.subscribe("failover")) {
            assertEquals("stream-open", client.next(WAIT).event());
            publish(proxied, "failover", "0");
            lastSeen = client.next(WAIT).id();
            // Kill the node this client is on (nginx chose it): its stream ends.
            b.awaitStatus(status -> {
                try {
                    return status.getInt("connections") + a.status().getInt("connections") == 1; // earlier tests' clients gone
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, WAIT);
            HubProcess serving = a.status().getInt("connections") == 1 ? nodeA : nodeB;
            serving.kill();
            client.awaitEnd(WAIT);
            for (int i = 1; i <= 3; i++) {
                publish(proxied, "failover", String.valueOf(i)); // nginx passes over the dead node
                missed.add(String.valueOf(i));
            }
        }
        try (SseClient resumed = SseClient.open(proxied.channels("failover"), Map.of("Last-Event-ID", lastSeen))) {
            assertEquals("stream-open", resumed.next(WAIT).event());
            assertEquals(missed, SseEvent.data(resumed.take(3, WAIT)));
            assertEquals(List.of(), resumed.drain(Duration.ofMillis(300)));
        }
    }
}
