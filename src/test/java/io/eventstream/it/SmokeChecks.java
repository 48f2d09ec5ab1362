package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.HubProcess;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The smoke suite for a server other than the main test runtime: subscribe, publish and resume against the
 * very WAR the build produced, started once per class as a process of its own. Only the public HTTP
 * contract is used, so the archive deployed is byte for byte the one that ships.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // only to run the one that stops the server last
abstract class SmokeChecks {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration STARTUP = Duration.ofSeconds(240);
    /** What every smoke server is started with. */
    static final Map<String, String> PROPERTIES = Map.of(
            "eventstream.publish.token", Hub.TOKEN,
            "eventstream.keepalive", "PT1S",
            "eventstream.demo", "true");

    private HubProcess server;
    private long started;
    Hub hub;

    /** Starts the server with the WAR deployed; the base class waits for it. */
    abstract HubProcess startServer() throws Exception;

    @BeforeAll
    void start() throws Exception {
        started = System.nanoTime();
        server = startServer();
        server.awaitHub(STARTUP);
        hub = new Hub(server.base());
        System.out.printf("%s: hub up in %.1f s%n", getClass().getSimpleName(), seconds(started));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        System.out.printf("%s: %.1f s from start to stop%n", getClass().getSimpleName(), seconds(started));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private String publish(String channel, String body) throws Exception {
        HttpResponse<String> response = hub.publish(channel, body);
        assertEquals(202, response.statusCode(), response.body());
        return Hub.json(response.body()).getString("id");
    }

    private static SseEvent opened(SseClient client) throws InterruptedException {
        assertEquals(200, client.status(), client.errorBody());
        SseEvent open = client.next(WAIT);
        assertEquals("stream-open", open.event());
        return open;
    }

    @Test
    void reportsUpWithItsEmbeddedBroker() throws Exception {
        var status = hub.status();
        assertEquals("UP", status.getString("status"), status.toString());
        assertEquals("embedded", status.getString("broker"));
    }

    @Test
    void servesItsMetricsAndCountsAnHttpPublish() throws Exception {
        String series = "eventstream_events_published_total{via=\"http\"}";
        double before = Hub.metric(hub.get("metrics").body(), series);
        publish("smoke-metrics", "{\"data\":1}");
        HttpResponse<String> after = hub.get("metrics");
        assertEquals(200, after.statusCode(), after.body());
        assertTrue(after.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertEquals(before + 1, Hub.metric(after.body(), series));
        assertEquals(1, Hub.metric(after.body(), "eventstream_broker_up"));
    }

    @Test
    void subscribeOpensAStreamAndReceivesAPublishedEvent() throws Exception {
        try (SseClient client = hub.subscribe("smoke-subscribe")) {
            SseEvent open = opened(client);
            assertTrue(client.header("Content-Type").startsWith("text/event-stream"), client.header("Content-Type"));
            assertEquals("no-cache", client.header("Cache-Control"));
            assertEquals("{}", open.data());
            assertEquals(3000L, open.retry());
            String id = publish("smoke-subscribe", "{\"data\":{\"text\":\"hello\\nworld\"}}");
            SseEvent event = client.next(WAIT);
            assertEquals(new SseEvent(id, "message", "{\"text\":\"hello\\nworld\"}", null), event);
        }
    }

    @Test
    void publishIsAcceptedWithTheTokenAndReachesAMultiChannelSubscriber() throws Exception {
        assertEquals(401, hub.post("events/smoke-a", "Bearer wrong", "application/json", "{\"data\":1}").statusCode());
        try (SseClient both = hub.subscribe("smoke-a", "smoke-b");
             SseClient onlyB = hub.subscribe("smoke-b")) {
            opened(both);
            opened(onlyB);
            String first = publish("smoke-a", "{\"event\":\"update\",\"data\":[1]}");
            String second = publish("smoke-b", "{\"data\":\"two\"}");
            publish("smoke-c", "{\"data\":3}"); // a channel neither subscribed to
            String fourth = publish("smoke-a", "{\"data\":{\"n\":4}}");
            assertEquals(List.of(
                    new SseEvent(first, "update", "[1]", null),
                    new SseEvent(second, "message", "\"two\"", null),
                    new SseEvent(fourth, "message", "{\"n\":4}", null)), both.take(3, WAIT));
            assertEquals(List.of(new SseEvent(second, "message", "\"two\"", null)), onlyB.take(1, WAIT));
            assertEquals(List.of(), both.drain(Duration.ofMillis(300)));
        }
    }

    @Test
    void theClockStreamSendsJsonTicksUntilTheClientLeaves() throws Exception {
        try (SseClient clock = SseClient.open(hub.uri("streams/clock?interval=PT0.1S"))) {
            opened(clock);
            for (SseEvent tick : clock.take(2, WAIT)) {
                assertEquals("time", tick.event());
                Instant.parse(Hub.json(tick.data()).getString("time")); // JSON-B wrote it
            }
        }
        // Every test closes its clients: the server must notice that they left (keep-alive every second).
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
    }

    @Test
    @Order(Integer.MAX_VALUE) // it stops the server: the last one
    void aStopEndsTheOpenStreamsWithoutAnErrorInTheLog() throws Exception {
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SseClient client = hub.subscribe("smoke-stop-" + i);
                clients.add(client);
                opened(client);
            }
            int logBefore = server.log().length();
            server.stop();
            for (SseClient client : clients) {
                client.awaitEnd(WAIT);
            }
            // WildFly logged three errors with stack traces per stream (WFLYTX0002, UT015021) when the streams were
            // closed only as the hub's beans were destroyed, after the container had begun to take the deployment down.
            List<String> errors = server.log().substring(logBefore).lines()
                    .filter(line -> line.contains(" ERROR ") || line.contains("SEVERE")).toList();
            assertEquals(List.of(), errors);
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    @Test
    void eventsLargerThanTheStreamsBufferArriveWholeLiveAndInAReplay() throws Exception {
        // The stream's response buffer is 8 KiB: sizes below, at and far above it, live one by one, then all at once
        // in a replay, where several frames wait for the writer together.
        int[] sizes = {10, 4_000, 8_100, 8_192, 8_300, 20_000, 60_000};
        List<String> expected = new ArrayList<>();
        String before;
        try (SseClient client = hub.subscribe("smoke-large")) {
            before = opened(client).id();
            for (int i = 0; i < sizes.length; i++) {
                String text = i + ":" + "x".repeat(sizes[i] - 2);
                publish("smoke-large", "{\"data\":\"" + text + "\"}");
                expected.add("\"" + text + "\"");
                assertEquals(expected.get(i), client.next(WAIT).data(), "live event of " + sizes[i] + " characters");
            }
        }
        try (SseClient again = SseClient.open(hub.channels("smoke-large"), Map.of("Last-Event-ID", before))) {
            opened(again);
            assertEquals(expected, again.take(sizes.length, WAIT).stream().map(SseEvent::data).toList());
        }
    }

    @Test
    void resumeWithLastEventIdReplaysExactlyTheMissedEvents() throws Exception {
        String lastSeen;
        try (SseClient client = hub.subscribe("smoke-resume")) {
            opened(client);
            publish("smoke-resume", "{\"data\":1}");
            publish("smoke-resume", "{\"data\":2}");
            List<SseEvent> seen = client.take(2, WAIT);
            assertEquals(List.of("1", "2"), seen.stream().map(SseEvent::data).toList());
            lastSeen = seen.get(1).id();
        }
        for (int i = 3; i <= 5; i++) {
            publish("smoke-resume", "{\"data\":" + i + "}");
        }
        try (SseClient again = SseClient.open(hub.channels("smoke-resume"), Map.of("Last-Event-ID", lastSeen))) {
            opened(again);
            assertEquals(List.of("3", "4", "5"), again.take(3, WAIT).stream().map(SseEvent::data).toList());
            publish("smoke-resume", "{\"data\":6}");
            assertEquals(List.of("6"), again.take(1, WAIT).stream().map(SseEvent::data).toList());
            assertEquals(List.of(), again.drain(Duration.ofMillis(300)));
        }
    }
}
