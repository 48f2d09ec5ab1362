package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Inbound;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node linking to a real (embedded, persistent) Artemis broker while another publishes: what is published while it
 * reads the event log waits in its live subscription, and the link tells the hub it has caught up only after the last
 * of those messages.
 */
class CatchUpMarkerTest {

    private static final int BACKLOG = 2_000;

    /** What reached the hub, in order: event ids, {@code recover:<n>} and {@code caught-up}. */
    private final class Recording implements Inbound {
        private final List<String> calls = new ArrayList<>(); // guarded by this

        @Override
        public int recover(List<LoggedEvent> log) {
            synchronized (this) {
                calls.add("recover:" + log.size());
            }
            // Between reading the log and starting delivery: what another node publishes now waits in the subscription.
            publish("backlog", BACKLOG);
            return log.size();
        }

        @Override
        public synchronized void event(ChannelEvent event) {
            calls.add(event.id());
            notifyAll();
        }

        @Override
        public synchronized void caughtUp() {
            calls.add("caught-up");
            notifyAll();
        }

        @Override
        public synchronized void marked(String token) {
            calls.add("marked:" + token);
            notifyAll();
        }

        @Override
        public void permissionChanged(PermissionChange change) {
        }

        @Override
        public void missed() {
            throw new AssertionError("a link with an event log never reports a gap");
        }

        synchronized List<String> await(String call) throws InterruptedException {
            LinkFixtures.awaitUntil(this, () -> calls.contains(call), () -> "never heard " + call + "; heard " + calls.size() + " calls");
            return List.copyOf(calls);
        }
    }

    @TempDir
    Path data;

    private final EmbeddedBroker broker = new EmbeddedBroker();
    private final EventLog log = new EventLog("t", 100_000);
    private ActiveMQConnectionFactory factory;
    private Connection otherNode;

    @BeforeEach
    void start() throws Exception {
        factory = new ActiveMQConnectionFactory(broker.startPersistent(data, false, Duration.ofMillis(100), log));
        factory.setConfirmationWindowSize(1024 * 1024);
        otherNode = factory.createConnection();
    }

    @AfterEach
    void stop() throws Exception {
        otherNode.close();
        factory.close();
        broker.stop();
    }

    // Events "<prefix>-0".. published onto the topic by another node, persistent (so into the log as well), confirmed.
    private void publish(String prefix, int count) {
        try (Session session = otherNode.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createTopic("t"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                producer.send(EventMessage.write(session, new ChannelEvent(prefix + "-" + i, "c", "message", "{}")));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JmsLink link(Recording hub) throws Exception {
        return JmsLink.open(factory, null, null, "t", log, LinkFixtures.listener(hub), null, 100, Thread::new, (failed, e) -> { });
    }

    @Test
    void theHubHearsItCaughtUpOnlyAfterEveryMessagePublishedWhileTheLogWasRead() throws Exception {
        log.ensure(((org.apache.activemq.artemis.jms.client.ActiveMQSession) otherNode.createSession(false, Session.AUTO_ACKNOWLEDGE)).getCoreSession());
        publish("logged", 10);
        Recording hub = new Recording();
        try (JmsLink link = link(hub)) {
            List<String> calls = hub.await("caught-up");
            List<String> expected = new ArrayList<>();
            expected.add("recover:10");
            IntStream.range(0, BACKLOG).forEach(i -> expected.add("backlog-" + i));
            expected.add("caught-up");
            assertEquals(expected, calls);

            // A marker sent later comes back after what another node had published before it was sent.
            publish("later", 500);
            link.mark("node:1").get(30, TimeUnit.SECONDS);
            calls = hub.await("marked:node:1");
            assertEquals(expected.size() + 501, calls.size());
            assertEquals("later-499", calls.get(calls.size() - 2));
            assertEquals("marked:node:1", calls.get(calls.size() - 1));
        }
    }
}
