package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.Numbered;
import io.eventstream.it.support.PublishLog;
import io.eventstream.it.support.Publisher;
import io.eventstream.it.support.ResumingClient;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import io.eventstream.it.support.TwoNodes;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 on one node with its embedded broker: the broker keeps the newest events in a durable log in
 * {@code eventstream.broker.data-dir}, so a node stopped or killed and started again on the same directory resumes
 * its clients exactly (no {@code stream-reset}), within the same retention as before; every publish it acknowledged
 * survives a crash. With {@code eventstream.history.durable=false} a restart forgets, as before; a data directory that
 * cannot be used leaves the node DOWN.
 *
 * <p>Every node here is its own Payara Micro process with a data directory of its own (HubProcess's default).
 */
class DurableLogIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    // Shared by the tests that restart it; each leaves it running, and uses channels of its own. The other tests
    // need other settings, and start their own node (one at a time: starts in parallel are slower on 2 cores).
    private static HubProcess node;
    private static Hub hub;

    @BeforeAll
    static void startNode() throws Exception {
        node = start("durable", Map.of());
        hub = TwoNodes.awaitUp(node, TwoNodes.STARTUP);
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /** A node with the embedded broker, the tests' publish token, a 1 s keep-alive and {@code config}. */
    private static HubProcess start(String name, Map<String, String> config) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of(
                "eventstream.publish.token", Hub.TOKEN,
                "eventstream.keepalive", "PT1S",
                // Four publishers sharing Hub.TOKEN (one publisher) publish as fast as the node takes it.
                "eventstream.publish.rate", "1000000"));
        properties.putAll(config);
        return HubProcess.payaraMicro(name, Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")), properties);
    }

    private static Hub startAgain(HubProcess process) throws Exception {
        return TwoNodes.awaitUp(process.startAgain(), TwoNodes.STARTUP);
    }

    /** Opens a stream resuming from {@code lastEventId} and checks that it begins with stream-open, not a reset. */
    private static SseClient resume(Hub target, String channel, String lastEventId) throws Exception {
        SseClient client = SseClient.open(target.channels(channel), Map.of("Last-Event-ID", lastEventId));
        assertEquals(200, client.status(), client.errorBody());
        assertEquals("stream-open", client.next(WAIT).event());
        return client;
    }

    @Test
    void aNodeStoppedAndStartedOnItsDataDirectoryResumesAClientExactlyWithoutStreamReset() throws Exception {
        List<String> ids = Numbered.publish(hub, "restart", 100);
        node.stop();
        hub = startAgain(node);
        try (SseClient client = resume(hub, "restart", ids.get(39))) {
            Numbered.assertNext(client, 41, 100, ids, WAIT);
            // Nothing more was retained: the next event is the next one published.
            String next = hub.publishData("restart", "\"101\"");
            SseEvent event = client.next(WAIT);
            assertEquals("\"101\"", event.data());
            assertEquals(next, event.id());
        }
    }

    @Test
    void theEmbeddedBrokerStartsOnAThreadOfItsOwnWhileTheApplicationDeploys() throws Exception {
        // EarlyBroker starts it when bean discovery begins, so that the journal's load overlaps the deployment;
        // Payara's log names each line's thread.
        String started = node.log().lines().filter(line -> line.contains("embedded Artemis broker started")).findFirst()
                .orElseThrow(() -> new AssertionError("no broker start in the node's log"));
        assertTrue(started.contains("_ThreadName=eventstream-broker-start"), started);
    }

    @Test
    void everyPublishAcknowledgedBeforeAKillIsThereAfterTheRestartOnceAndInOrder() throws Exception {
        PublishLog log = new PublishLog();
        List<String> channels = List.of("crash-a", "crash-b");
        // The position to resume from: not in the log, so if it came again it would count as never published.
        String before = hub.publishData("crash-a", "\"before\"");
        List<Publisher> publishers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                publishers.add(Publisher.start("p" + i, log, hub, channels, Duration.ZERO, Integer.MAX_VALUE));
            }
            log.awaitAcknowledged(200, Duration.ofSeconds(60));
            node.kill();
        } finally {
            for (Publisher publisher : publishers) {
                publisher.stop();
            }
        }
        System.out.printf("DurableLogIT: killed with %d publishes acknowledged; not acknowledged: %s%n",
                log.acknowledgedCount(), log.unacknowledged());
        hub = startAgain(node);
        try (ResumingClient client = ResumingClient.start("after-kill", hub, before, channels.toArray(String[]::new))) {
            client.awaitStreams(1, WAIT);
            // Published once the client is connected, so it comes live after whatever the node replays.
            String after = log.publishAcknowledged(hub, "after", 0, "crash-b");
            client.awaitData("\"after-0\"", WAIT);
            assertNull(log.difference(client.messages(), channels), client.toString());
            assertEquals(List.of(), client.resets(), "stream-reset after the restart: " + client);
            assertEquals(List.of(), client.problems(), client.toString());
            assertEquals(after, client.messages().get(client.messages().size() - 1).id());
        }
    }

    @Test
    void retentionStillBoundsWhatARestartedNodeResumes() throws Exception {
        try (HubProcess bounded = start("durable-bounded", Map.of("eventstream.history.total", "50"))) {
            Hub target = TwoNodes.awaitUp(bounded, TwoNodes.STARTUP);
            List<String> ids = Numbered.publish(target, "bounded", 100);
            bounded.stop();
            target = startAgain(bounded);
            try (SseClient tooOld = SseClient.open(target.channels("bounded"), Map.of("Last-Event-ID", ids.get(9)))) {
                assertEquals("stream-open", tooOld.next(WAIT).event());
                SseEvent reset = tooOld.next(WAIT);
                assertEquals("stream-reset", reset.event(), "event 10 is beyond the 50 retained: " + reset);
                assertEquals("{\"channels\":[\"bounded\"]}", reset.data());
            }
            try (SseClient client = resume(target, "bounded", ids.get(69))) {
                Numbered.assertNext(client, 71, 100, ids, WAIT);
                assertEquals(List.of(), client.drain(Duration.ofMillis(500)), "nothing after the newest");
            }
        }
    }

    @Test
    void withTheDurableHistoryOffARestartForgetsAndAnOldPositionGetsStreamReset() throws Exception {
        try (HubProcess forgetful = start("durable-off", Map.of("eventstream.history.durable", "false"))) {
            Hub target = TwoNodes.awaitUp(forgetful, TwoNodes.STARTUP);
            List<String> ids = Numbered.publish(target, "forgotten", 5);
            forgetful.stop();
            target = startAgain(forgetful);
            try (SseClient client = SseClient.open(target.channels("forgotten"), Map.of("Last-Event-ID", ids.get(1)))) {
                assertEquals("stream-open", client.next(WAIT).event());
                SseEvent reset = client.next(WAIT);
                assertEquals("stream-reset", reset.event(), reset.toString());
                assertEquals("{\"channels\":[\"forgotten\"]}", reset.data());
            }
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedLeavesTheNodeDownAndRefusingToPublish(@TempDir Path scratch) throws Exception {
        // Its parent is a regular file.
        Path dataDir = Files.writeString(scratch.resolve("a-file"), "not a directory").resolve("data");
        try (HubProcess broken = start("durable-broken", Map.of(HubProcess.DATA_DIR, dataDir.toString()))) {
            Hub target = new Hub(broken.awaitHub(TwoNodes.STARTUP).base());
            HttpResponse<String> status = target.get("status");
            assertEquals(503, status.statusCode(), status.body());
            JsonObject body = Hub.json(status.body());
            assertEquals("DOWN", body.getString("status"), status.body());
            assertEquals("embedded", body.getString("broker"), status.body());
            assertTrue(body.getString("reason", "").contains(dataDir.toString()),
                    "the reason names the directory " + dataDir + ": " + status.body());
            HttpResponse<String> publish = target.publish("anywhere", "{\"data\":1}");
            assertEquals(503, publish.statusCode(), publish.body());
            assertEquals("unavailable", Hub.json(publish.body()).getString("condition"), publish.body());
        }
    }
}
