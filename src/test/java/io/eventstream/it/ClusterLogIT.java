package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.ExternalTools;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.NginxProcess;
import io.eventstream.it.support.Numbered;
import io.eventstream.it.support.PublishLog;
import io.eventstream.it.support.Publisher;
import io.eventstream.it.support.ResumingClient;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import io.eventstream.it.support.TwoNodes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 12 on a cluster: two Payara Micro nodes on a persistent Artemis broker (node B through a proxy that can cut
 * it off), behind the cluster recipe's nginx. The broker's durable log lets clients resume exactly, with no
 * {@code stream-reset}, across a rolling restart, on a node that joined later or restarted under load, across a
 * broker crash, a node cut off from the broker, and a restart of everything.
 *
 * <p>One cluster for the whole class (a Payara Micro start is the slow part); each test uses channels of its own,
 * and finds every process running again whatever the one before it did.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLogIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    // Retention large enough for every event the class publishes (the log is one ring over all channels).
    private static final String RETAINED = "60000";

    private static TwoNodes cluster;
    private static NginxProcess nginx;
    private static Hub proxied;

    @BeforeAll
    static void startCluster() throws Exception {
        ExternalTools.require(NginxProcess.installed(), "nginx-light");
        cluster = TwoNodes.startDurable("log", HubProcess.WAR,
                Map.of("eventstream.history.size", RETAINED, "eventstream.history.total", RETAINED));
        nginx = NginxProcess.inFrontOf(List.of(cluster.nodeA.base(), cluster.nodeB.base()));
        proxied = new Hub(nginx.base());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void everythingRunning() throws Exception {
        cluster.brokerProxy.refuse(false);
        if (!cluster.broker.isRunning()) {
            cluster.broker.start();
        }
        for (HubProcess node : List.of(cluster.nodeA, cluster.nodeB)) {
            if (!node.isAlive()) {
                node.startAgain();
            }
        }
        TwoNodes.awaitUp(cluster.nodeA, TwoNodes.STARTUP);
        TwoNodes.awaitUp(cluster.nodeB, TwoNodes.STARTUP);
    }

    private static void restart(HubProcess node) throws Exception {
        node.stop();
        TwoNodes.awaitUp(node.startAgain(), TwoNodes.STARTUP);
    }

    /**
     * What is wrong with what {@code client} got on {@code channels}, once the last acknowledged event of each has
     * arrived: anything {@link PublishLog#difference} finds, a {@code stream-reset}, a stream not opened by
     * {@code stream-open}; null if nothing.
     */
    private static String check(ResumingClient client, List<String> channels, PublishLog log) throws InterruptedException {
        List<String> wrong = new ArrayList<>();
        try {
            for (String channel : channels) {
                List<PublishLog.Attempt> acknowledged = log.acknowledged(channel);
                if (!acknowledged.isEmpty()) {
                    client.awaitData(acknowledged.get(acknowledged.size() - 1).data(), DELIVERY);
                }
            }
        } catch (AssertionError e) {
            wrong.add(e.getMessage());
        }
        String difference = log.difference(client.messages(), channels);
        if (difference != null) {
            wrong.add(difference);
        }
        if (!client.resets().isEmpty()) {
            wrong.add("stream-reset " + client.resets());
        }
        wrong.addAll(client.problems());
        return wrong.isEmpty() ? null : client + ":\n    " + String.join("\n    ", wrong);
    }

    private static void assertAllGood(List<String> reports) {
        List<String> failures = reports.stream().filter(r -> r != null).toList();
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    @Order(1)
    void aRollingRestartUnderPublishingLosesNothingAndResetsNoClient() throws Exception {
        List<String> channels = List.of("roll-0", "roll-1", "roll-2");
        List<List<String>> subscriptions = List.of(List.of("roll-0"), List.of("roll-1"), List.of("roll-2"),
                List.of("roll-0", "roll-1"), List.of("roll-1", "roll-2"), channels);
        PublishLog log = new PublishLog();
        List<ResumingClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < subscriptions.size(); i++) {
                clients.add(ResumingClient.start("roll-" + i, proxied, null, subscriptions.get(i).toArray(String[]::new)));
            }
            try (Publisher publisher = Publisher.start("roll", log, proxied, channels, Duration.ofMillis(20), Integer.MAX_VALUE)) {
                for (ResumingClient client : clients) {
                    client.awaitMessages(1, WAIT); // a position of an event, not only a node's stream-open
                }
                restart(cluster.nodeA);
                restart(cluster.nodeB);
                log.awaitAcknowledged(log.acknowledgedCount() + 50, WAIT); // publishing goes on with both back
                publisher.stop();
            }
            System.out.printf("ClusterLogIT: rolling restart: %d publishes acknowledged; not acknowledged: %s%n",
                    log.acknowledgedCount(), log.unacknowledged());
            List<String> reports = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                ResumingClient client = clients.get(i);
                reports.add(check(client, subscriptions.get(i), log));
                // Every client was on node B when it stopped, if not before: it resumed on a node that had restarted.
                if (client.streams() < 2) {
                    reports.add(client + ": never reconnected; the test proves nothing for it");
                }
            }
            assertAllGood(reports);
        } finally {
            for (ResumingClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    @Order(2)
    void aNodeThatJoinsLaterResumesAClientFromBeforeItStarted() throws Exception {
        List<String> ids = Numbered.publish(cluster.a, "late", 20);
        try (HubProcess nodeC = cluster.startNode("log-c")) {
            Hub c = TwoNodes.awaitUp(nodeC, TwoNodes.STARTUP);
            try (SseClient client = SseClient.open(c.channels("late"), Map.of("Last-Event-ID", ids.get(4)))) {
                assertEquals(200, client.status(), client.errorBody());
                assertEquals("stream-open", client.next(WAIT).event());
                Numbered.assertNext(client, 6, 20, ids, WAIT);
                Numbered.publish(cluster.b, "late", 21, 21, ids);
                Numbered.assertNext(client, 21, 21, ids, WAIT);
            }
        }
    }

    @Test
    @Order(3)
    void aNodeStartingUnderLoadWithManyRetainedEventsMergesTheLogWithLiveEventsExactly() throws Exception {
        String channel = "load";
        PublishLog log = new PublishLog();
        try (SseClient reference = cluster.a.subscribe(channel)) { // on A all along: the broker's order
            assertEquals("stream-open", reference.next(WAIT).event());
            String early = log.publishAcknowledged(cluster.a, "early", 0, channel);
            List<Publisher> bulk = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                bulk.add(Publisher.start("bulk" + i, log, cluster.a, List.of(channel), Duration.ZERO, 2_500));
            }
            for (Publisher publisher : bulk) {
                publisher.awaitEnd(Duration.ofSeconds(180));
            }
            System.out.printf("ClusterLogIT: %d published before node B restarts%n", log.acknowledgedCount());
            cluster.nodeB.stop();
            List<SseEvent> resumed;
            String end;
            try (Publisher live = Publisher.start("live", log, cluster.a, List.of(channel), Duration.ZERO, 25_000)) {
                cluster.nodeB.startAgain();
                TwoNodes.awaitUp(cluster.nodeB, TwoNodes.STARTUP);
                int whenUp = live.attempts();
                try (SseClient client = SseClient.open(cluster.b.channels(channel), Map.of("Last-Event-ID", early))) {
                    assertEquals(200, client.status(), client.errorBody());
                    assertEquals("stream-open", client.next(WAIT).event());
                    log.awaitAcknowledged(log.acknowledgedCount() + 200, WAIT); // live while the replay is written
                    live.stop();
                    System.out.printf("ClusterLogIT: %d published live, %d of them while B started; not acknowledged: %s%n",
                            live.attempts(), whenUp, log.unacknowledged());
                    end = log.publishAcknowledged(cluster.a, "end", 0, channel);
                    resumed = readThrough(client, end);
                }
            }
            List<SseEvent> all = readThrough(reference, end);
            List<SseEvent> expected = all.subList(indexOf(all, early) + 1, all.size());
            assertNull(log.difference(all, List.of(channel)), "the reference client on A");
            assertTrue(resumed.stream().noneMatch(e -> e.event().startsWith("stream-")),
                    "a control event on B: " + resumed.stream().filter(e -> e.event().startsWith("stream-")).toList());
            assertEquals(expected.size(), resumed.size(), "events after the early one on B, against A's");
            for (int i = 0; i < expected.size(); i++) {
                if (!expected.get(i).equals(resumed.get(i))) {
                    throw new AssertionError("event " + i + " after the early one differs: on A " + expected.get(i)
                            + ", on B " + resumed.get(i) + "; B's around it: "
                            + resumed.subList(Math.max(0, i - 3), Math.min(resumed.size(), i + 3)));
                }
            }
        }
    }

    /** Reads {@code client}'s events up to and including the one with id {@code lastId}. */
    private static List<SseEvent> readThrough(SseClient client, String lastId) throws InterruptedException {
        List<SseEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (events.isEmpty() || !lastId.equals(events.get(events.size() - 1).id())) {
            SseEvent event = client.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                throw new AssertionError("got " + events.size() + " events, not the one with id " + lastId + " within "
                        + DELIVERY + (client.ended() ? " (the stream ended)" : "") + "; the last: "
                        + events.subList(Math.max(0, events.size() - 3), events.size()));
            }
            events.add(event);
        }
        return events;
    }

    private static int indexOf(List<SseEvent> events, String id) {
        for (int i = 0; i < events.size(); i++) {
            if (id.equals(events.get(i).id())) {
                return i;
            }
        }
        throw new AssertionError("no event " + id);
    }

    @Test
    @Order(4)
    void aBrokerCrashLosesNoEventAndResetsNoClientConnectedOrResuming() throws Exception {
        String channel = "outage";
        PublishLog log = new PublishLog();
        try (ResumingClient onA = ResumingClient.start("outage-a", cluster.a, null, channel);
             ResumingClient onB = ResumingClient.start("outage-b", cluster.b, null, channel)) {
            onA.awaitStreams(1, WAIT);
            onB.awaitStreams(1, WAIT);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(log.publishAcknowledged(i % 2 == 0 ? cluster.a : cluster.b, "before", i, channel));
            }
            onA.awaitData("\"before-9\"", WAIT);
            onB.awaitData("\"before-9\"", WAIT);

            cluster.broker.kill();
            for (Hub node : List.of(cluster.a, cluster.b)) {
                node.awaitStatus(status -> "DOWN".equals(status.getString("status")), WAIT);
                HttpResponse<String> refused = node.publish(channel, "{\"data\":\"while the broker is down\"}");
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("unavailable", Hub.json(refused.body()).getString("condition"), refused.body());
            }
            cluster.broker.start();
            for (Hub node : List.of(cluster.a, cluster.b)) {
                node.awaitStatus(status -> "UP".equals(status.getString("status")), RECOVERY);
            }
            for (int i = 0; i < 10; i++) {
                ids.add(log.publishAcknowledged(i % 2 == 0 ? cluster.b : cluster.a, "after", i, channel));
            }

            List<String> reports = new ArrayList<>();
            for (ResumingClient client : List.of(onA, onB)) {
                reports.add(check(client, List.of(channel), log));
                if (client.streams() != 1) {
                    reports.add(client + ": did not stay connected");
                }
            }
            assertAllGood(reports);
            // A client that left at before-4 resumes after the outage, on either node.
            for (Hub node : List.of(cluster.a, cluster.b)) {
                try (SseClient returning = SseClient.open(node.channels(channel), Map.of("Last-Event-ID", ids.get(4)))) {
                    assertEquals("stream-open", returning.next(WAIT).event());
                    List<SseEvent> got = returning.take(15, WAIT);
                    assertEquals(ids.subList(5, 20), got.stream().map(SseEvent::id).toList(), "after before-4: " + got);
                }
            }
        }
    }

    @Test
    @Order(5)
    void aNodeCutOffFromTheBrokerDeliversWhatItMissedLiveOnceItIsBack() throws Exception {
        String channel = "cut";
        PublishLog log = new PublishLog();
        try (ResumingClient onA = ResumingClient.start("cut-a", cluster.a, null, channel);
             ResumingClient onB = ResumingClient.start("cut-b", cluster.b, null, channel)) {
            onA.awaitStreams(1, WAIT);
            onB.awaitStreams(1, WAIT);
            for (int i = 0; i < 5; i++) {
                log.publishAcknowledged(cluster.a, "before", i, channel);
            }
            onB.awaitData("\"before-4\"", WAIT);

            cluster.brokerProxy.refuse(true);
            cluster.brokerProxy.cut();
            cluster.b.awaitStatus(status -> "DOWN".equals(status.getString("status")), WAIT);
            HttpResponse<String> refused = cluster.b.publish(channel, "{\"data\":\"while cut off\"}");
            assertEquals(503, refused.statusCode(), refused.body());
            for (int i = 0; i < 20; i++) {
                log.publishAcknowledged(cluster.a, "during", i, channel); // B never sees these live
            }
            onA.awaitData("\"during-19\"", WAIT);
            cluster.brokerProxy.refuse(false);
            cluster.b.awaitStatus(status -> "UP".equals(status.getString("status")), RECOVERY);
            for (int i = 0; i < 5; i++) {
                log.publishAcknowledged(cluster.a, "after", i, channel);
            }

            List<String> reports = new ArrayList<>();
            reports.add(check(onA, List.of(channel), log));
            reports.add(check(onB, List.of(channel), log));
            if (onB.streams() != 1) {
                reports.add(onB + ": did not stay connected");
            }
            assertAllGood(reports);
        }
    }

    @Test
    @Order(6)
    void afterTheWholeClusterRestartsClientsResumeExactly() throws Exception {
        String channel = "whole";
        PublishLog log = new PublishLog();
        try (ResumingClient client = ResumingClient.start("whole", proxied, null, channel)) {
            client.awaitStreams(1, WAIT);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(log.publishAcknowledged(proxied, "before", i, channel));
            }
            client.awaitData("\"before-9\"", WAIT);

            cluster.nodeA.stop();
            cluster.nodeB.stop();
            cluster.broker.stop();
            cluster.broker.start();
            cluster.nodeA.startAgain();
            cluster.nodeB.startAgain();
            TwoNodes.awaitUp(cluster.nodeA, TwoNodes.STARTUP);
            TwoNodes.awaitUp(cluster.nodeB, TwoNodes.STARTUP);
            proxied.awaitStatus(status -> "UP".equals(status.getString("status")), RECOVERY); // nginx passes again
            for (int i = 0; i < 10; i++) {
                ids.add(log.publishAcknowledged(proxied, "after", i, channel));
            }

            List<String> reports = new ArrayList<>();
            reports.add(check(client, List.of(channel), log));
            if (client.streams() < 2) {
                reports.add(client + ": never reconnected");
            }
            assertAllGood(reports);
            try (SseClient returning = SseClient.open(proxied.channels(channel), Map.of("Last-Event-ID", ids.get(4)))) {
                assertEquals("stream-open", returning.next(WAIT).event());
                List<SseEvent> got = returning.take(15, WAIT);
                assertEquals(ids.subList(5, 20), got.stream().map(SseEvent::id).toList(), "after before-4: " + got);
            }
        }
    }
}
