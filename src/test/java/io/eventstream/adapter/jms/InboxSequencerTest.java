package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Inbound;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes publishing at once onto one real (embedded, persistent) Artemis broker, each through its own connection,
 * as two hub nodes on a shared broker do: with the inbox's sequencer, both nodes and the event log get every event in
 * the same order. (Without it, Artemis 2.40 hands concurrent sends of two sessions to the queues of one topic in
 * different orders: see {@link InboxSequencer}.)
 */
class InboxSequencerTest {

    private static final int PER_NODE = 5_000;
    private static final ThreadFactory THREADS = runnable -> {
        Thread thread = new Thread(runnable, "sequencer-test");
        thread.setDaemon(true);
        return thread;
    };

    /** The events a node took in, live and from the log, in its order. */
    private static final class Recording implements Inbound {
        private final List<String> ids = new ArrayList<>(); // guarded by this

        @Override
        public synchronized int recover(List<LoggedEvent> log) {
            log.forEach(logged -> ids.add(logged.event().id()));
            notifyAll();
            return log.size();
        }

        @Override
        public synchronized void event(ChannelEvent event) {
            ids.add(event.id());
            notifyAll();
        }

        @Override
        public void permissionChanged(PermissionChange change) {
        }

        @Override
        public void missed() {
            throw new AssertionError("a link with an event log never reports a gap");
        }

        synchronized List<String> awaitIds(int count) throws InterruptedException {
            LinkFixtures.awaitUntil(this, () -> ids.size() >= count, () -> "got " + ids.size() + " of " + count + " events");
            return List.copyOf(ids);
        }
    }

    @TempDir
    Path data;

    private final EmbeddedBroker broker = new EmbeddedBroker();
    private final EventLog log = new EventLog("t", 100_000);
    private final List<JmsLink> links = new ArrayList<>();
    private ActiveMQConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        factory = new ActiveMQConnectionFactory(broker.startPersistent(data, false, Duration.ofMillis(100), log));
        factory.setConfirmationWindowSize(1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        links.forEach(JmsLink::close);
        factory.close();
        broker.stop();
    }

    private JmsLink node(Recording inbound) throws Exception {
        JmsLink link = JmsLink.open(factory, null, null, "t", log, LinkFixtures.listener(inbound),
                new InboxSequencer.Setup(factory, null, null, THREADS), 100, THREADS,
                (failed, e) -> { });
        links.add(link);
        return link;
    }

    // The ids publish(link, node) sends, in its order.
    private static List<String> sent(String node) {
        return IntStream.range(0, PER_NODE).mapToObj(i -> node + "-" + i).toList();
    }

    // Sends PER_NODE events one at a time without waiting, as concurrent publishers of one node do.
    private static CompletableFuture<Void> publish(JmsLink link, String node) {
        return CompletableFuture.runAsync(() -> {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            try {
                for (int i = 0; i < PER_NODE; i++) {
                    sent.add(link.send(List.of(new ChannelEvent(node + "-" + i, "c" + (i % 7), "message", "{}"))));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        });
    }

    @Test
    void twoNodesPublishingAtOnceGiveEveryNodeAndTheLogTheSameOrder() throws Exception {
        Recording a = new Recording();
        Recording b = new Recording();
        JmsLink nodeA = node(a);
        JmsLink nodeB = node(b);

        CompletableFuture.allOf(publish(nodeA, "a"), publish(nodeB, "b")).get(60, TimeUnit.SECONDS);
        assertEquals(PER_NODE, nodeA.sentCounts()[1]);
        assertTrue(nodeA.sentCounts()[0] < PER_NODE / 2, "events sent faster than the broker confirms share messages: "
                + nodeA.sentCounts()[0] + " messages");

        List<String> atA = a.awaitIds(2 * PER_NODE);
        List<String> atB = b.awaitIds(2 * PER_NODE);
        assertEquals(2 * PER_NODE, atA.size(), "node a got each event once");
        assertEquals(atA, atB, "both nodes got the events in the same order");
        for (String node : List.of("a", "b")) {
            assertEquals(sent(node), atA.stream().filter(id -> id.startsWith(node + "-")).toList(),
                    "a node's own events keep its order");
        }

        // A third node starting now reads the same order from the log.
        Recording c = new Recording();
        node(c);
        assertEquals(atA, c.awaitIds(2 * PER_NODE), "the event log has the nodes' order");
    }

    @Test
    void aNodeThatLeavesHandsTheInboxToTheNextWithNothingLostOrRepeated() throws Exception {
        Recording a = new Recording();
        Recording b = new Recording();
        JmsLink nodeA = node(a);
        JmsLink nodeB = node(b);
        publish(nodeA, "a").get(60, TimeUnit.SECONDS);
        List<String> first = b.awaitIds(PER_NODE);

        nodeA.close(); // node a's sequencer subscribed first, so it held the inbox; node b's has it from here on
        publish(nodeB, "b").get(60, TimeUnit.SECONDS);

        List<String> atB = b.awaitIds(2 * PER_NODE);
        assertEquals(first, atB.subList(0, PER_NODE));
        assertEquals(2 * PER_NODE, atB.stream().distinct().count(), "no event twice");
        assertEquals(sent("b"), atB.subList(PER_NODE, 2 * PER_NODE), "node b's events after the handover, in its order");
    }

    @Test
    void aNodeThatLeavesWhileItMovesEventsHandsTheInboxOnWithNothingLostOrRepeated() throws Exception {
        Recording b = new Recording();
        JmsLink nodeA = node(new Recording()); // its sequencer subscribed first: it holds the inbox
        JmsLink nodeB = node(b);
        CompletableFuture<Void> publishing = publish(nodeB, "b");
        b.awaitIds(PER_NODE / 5); // node a's sequencer is moving events now

        nodeA.close();
        publishing.get(60, TimeUnit.SECONDS);

        assertEachOnceInOrder(sent("b"), b);
    }

    @Test
    void aNodeWhoseConnectionDiesWhileItMovesEventsHandsTheInboxOnWithNothingLostOrRepeated() throws Exception {
        Recording b = new Recording();
        node(new Recording()); // its sequencer subscribed first: it holds the inbox
        JmsLink nodeB = node(b);
        CompletableFuture<Void> publishing = publish(nodeB, "b");
        b.awaitIds(PER_NODE / 5);

        // As when node a is killed: the broker fails the connection of the inbox's consumer (node a's sequencer).
        ServerSession holder = broker.server().getSessions().stream()
                .filter(session -> session.getServerConsumers().stream()
                        .anyMatch(consumer -> consumer.getQueue().getName().toString().equals("t.inbox")
                                && consumer.getMessagesDelivered() > 0))
                .findFirst().orElseThrow();
        holder.getRemotingConnection().fail(new ActiveMQException("node a died"));
        publishing.get(60, TimeUnit.SECONDS);

        assertEachOnceInOrder(sent("b"), b);
    }

    @Test
    void aNodeThatSubscribesWhileTheInboxsHolderHasABatchOpenGetsAllOfIt() throws Exception {
        try (Connection connection = factory.createConnection()) {
            // The test holds the inbox, as another node's sequencer in the middle of a batch: e1 is moved (routed to
            // the topic's queues of now) but not committed when the node subscribes; e2 is moved after.
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            ClientSession core = ((ActiveMQSession) plain).getCoreSession();
            log.ensure(core);
            InboxSequencer.ensure(core, "t");
            Session mover = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer inbox = mover.createConsumer(mover.createQueue("t.inbox"));
            MessageProducer topic = mover.createProducer(mover.createTopic("t"));
            topic.setDeliveryMode(DeliveryMode.PERSISTENT);
            connection.start();
            plain.createProducer(plain.createQueue("t.inbox")).send(EventMessage.write(plain, new ChannelEvent("e1", "c", "message", "{}")));
            topic.send(inbox.receive(5_000));

            Recording joining = new Recording();
            CompletableFuture<JmsLink> opened = CompletableFuture.supplyAsync(() -> {
                try {
                    return node(joining);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The node's join marker, sent once it has subscribed (a node that sends none has read the log by now).
            Message joinMarker = inbox.receive(10_000);
            topic.send(EventMessage.write(mover, new ChannelEvent("e2", "c", "message", "{}")));
            if (joinMarker != null) {
                topic.send(joinMarker);
            }
            mover.commit();
            opened.get(30, TimeUnit.SECONDS);

            assertEquals(List.of("e1", "e2"), joining.awaitIds(2), "the batch open as it subscribed, from the log, once each");
            Thread.sleep(300); // a repeat would come right behind
            assertEquals(List.of("e1", "e2"), joining.awaitIds(2));
        }
    }

    // Once every event is in, and a moment later (a repeat would come right behind): each once, in order.
    private static void assertEachOnceInOrder(List<String> wanted, Recording got) throws InterruptedException {
        got.awaitIds(wanted.size());
        Thread.sleep(500);
        assertEquals(List.of(), differences(wanted, got.awaitIds(wanted.size())), "each event once, in the sender's order");
    }

    // Where got differs from wanted, a few positions' worth: short enough for a failure message.
    private static List<String> differences(List<String> wanted, List<String> got) {
        List<String> found = new ArrayList<>();
        if (got.size() != wanted.size()) {
            found.add("got " + got.size() + " events, " + (got.size() - got.stream().distinct().count()) + " of them repeats, wanted "
                    + wanted.size());
        }
        for (int i = 0; i < Math.max(wanted.size(), got.size()) && found.size() < 5; i++) {
            String want = i < wanted.size() ? wanted.get(i) : null;
            String was = i < got.size() ? got.get(i) : null;
            if (!java.util.Objects.equals(want, was)) {
                found.add("at " + i + " " + was + " instead of " + want);
            }
        }
        return found;
    }

    @Test
    void aQueueOfTheInboxsNameThatIsNotExclusiveIsRefusedSayingWhatToDo() throws Exception {
        try (Connection connection = factory.createConnection()) {
            ClientSession core = ((ActiveMQSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE)).getCoreSession();
            core.createQueue(QueueConfiguration.of("t.inbox").setAddress("t.inbox").setRoutingType(RoutingType.ANYCAST).setDurable(true));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> InboxSequencer.ensure(core, "t"));
            assertTrue(refused.getMessage().contains("is not this hub's inbox"), refused.getMessage());
        }
    }
}
