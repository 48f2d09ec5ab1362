package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscribeIT extends HubIT {

    private static SseEvent opened(SseClient client) throws InterruptedException {
        SseEvent open = client.next(WAIT);
        assertEquals("stream-open", open.event());
        return open;
    }

    @Test
    void opensWithTheStreamHeadersARetryFieldAndStreamOpen() throws Exception {
        try (SseClient client = hub.subscribe("headers")) {
            assertEquals(200, client.status());
            assertTrue(client.header("Content-Type").startsWith("text/event-stream"), client.header("Content-Type"));
            assertEquals("no-cache", client.header("Cache-Control"));
            assertEquals("no", client.header("X-Accel-Buffering"));
            SseEvent open = opened(client);
            assertEquals("{}", open.data());
            assertEquals(3000L, open.retry());
        }
    }

    @Test
    void deliversExactlyTheEventsOfTheSubscribedChannelsInPublishOrder() throws Exception {
        try (SseClient ab = hub.subscribe("iso-a", "iso-b");
             SseClient b = hub.subscribe("iso-b");
             SseClient c = hub.subscribe("iso-c")) {
            opened(ab);
            opened(b);
            opened(c);

            assertEquals(202, hub.publish("iso-a", "{\"data\":{\"n\":1}}").statusCode());
            assertEquals(200, hub.post("it/send/greeting?channel=iso-b", null, null, "").statusCode());
            assertEquals(202, hub.publish("iso-c", "{\"event\":\"other\",\"data\":{\"n\":3}}").statusCode());
            assertEquals(202, hub.publish("iso-a", "{\"event\":\"update\",\"data\":[4]}").statusCode());
            assertEquals(202, hub.publish("iso-b", "{\"data\":\"five\"}").statusCode());

            List<SseEvent> onAb = ab.take(4, WAIT);
            assertEquals(List.of("{\"n\":1}", "{\"count\":2,\"tags\":[\"a\",\"b\"],\"text\":\"hello\\nworld\"}", "[4]", "\"five\""),
                    onAb.stream().map(SseEvent::data).toList());
            assertEquals(List.of("message", "greeting", "update", "message"), onAb.stream().map(SseEvent::event).toList());
            onAb.forEach(event -> assertNotNull(event.id()));
            assertEquals(4, onAb.stream().map(SseEvent::id).distinct().count());

            List<SseEvent> onB = b.take(2, WAIT);
            assertEquals(List.of(onAb.get(1), onAb.get(3)), onB);
            assertEquals(List.of("{\"n\":3}"), c.take(1, WAIT).stream().map(SseEvent::data).toList());

            Duration quiet = Duration.ofMillis(500);
            assertEquals(List.of(), ab.drain(quiet));
            assertEquals(List.of(), b.drain(quiet));
            assertEquals(List.of(), c.drain(quiet));
        }
    }

    @Test
    void thePathFormTakesChannelNamesWithSlashes() throws Exception {
        try (SseClient course42 = SseClient.open(hub.uri("events/course-state/42"))) {
            opened(course42);
            assertEquals(202, hub.publish("course-state/43", "{\"data\":43}").statusCode());
            HttpResponse<String> published = hub.publish("course-state/42", "{\"data\":42}");
            assertEquals(202, published.statusCode());
            SseEvent event = course42.next(WAIT);
            assertEquals("42", event.data());
            assertEquals(Hub.json(published.body()).getString("id"), event.id());
            assertEquals(List.of(), course42.drain(Duration.ofMillis(500)));
        }
    }

    @Test
    void eventSenderDataArrivesAsJsonOfTheSentObject() throws Exception {
        try (SseClient client = hub.subscribe("json")) {
            opened(client);
            String id = hub.post("it/send/greeting?channel=json&event=hello.v1", null, null, "").body();
            SseEvent event = client.next(WAIT);
            assertEquals(id, event.id());
            assertEquals("hello.v1", event.event());
            JsonObject data = Hub.json(event.data());
            assertEquals("hello\nworld", data.getString("text"));
            assertEquals(2, data.getInt("count"));
            assertEquals(List.of("a", "b"), data.getJsonArray("tags").getValuesAs(jakarta.json.JsonString::getString));
        }
    }

    @Test
    void aBurstOfAThousandEventsArrivesCompleteAndInOrder() throws Exception {
        try (SseClient first = hub.subscribe("burst");
             SseClient second = hub.subscribe("burst", "elsewhere")) {
            opened(first);
            opened(second);
            HttpResponse<String> sent = hub.post("it/send/burst?channel=burst&count=1000", null, null, "");
            assertEquals(200, sent.statusCode(), sent.body());
            for (SseClient client : List.of(first, second)) {
                List<SseEvent> events = client.take(1000, Duration.ofSeconds(30));
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < 1000; i++) {
                    assertEquals(i, Hub.json(events.get(i).data()).getInt("seq"));
                    assertTrue(ids.add(events.get(i).id()));
                }
                assertEquals(sent.body(), events.get(999).id());
            }
        }
    }

    @Test
    void writesKeepAliveCommentsWhileIdle() throws Exception {
        try (SseClient client = hub.subscribe("idle")) {
            opened(client);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (client.comments() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100); // counting comments the reader thread saw
            }
            assertTrue(client.comments() >= 2, "comments seen: " + client.comments());
        }
    }

    @Test
    void theClockStreamSendsTheCurrentTimeUntilTheClientLeaves() throws Exception {
        Instant before = Instant.now();
        try (SseClient clock = SseClient.open(hub.uri("streams/clock"))) {
            opened(clock);
            List<SseEvent> ticks = clock.take(2, WAIT);
            ticks.forEach(tick -> assertEquals("time", tick.event()));
            Instant first = Instant.parse(Hub.json(ticks.get(0).data()).getString("time"));
            Instant second = Instant.parse(Hub.json(ticks.get(1).data()).getString("time"));
            assertTrue(!first.isBefore(before.minusSeconds(5)) && second.isAfter(first), first + " then " + second);
        }
        hub.awaitStatus(status -> status.getInt("connections") == 0, WAIT);
    }

    @Test
    void anUnknownCustomStreamIs404WithAJsonBody() throws Exception {
        try (SseClient missing = SseClient.open(hub.uri("streams/no-such-stream"))) {
            assertEquals(404, missing.status());
            assertEquals("not-found", Hub.json(missing.errorBody()).getString("condition"));
        }
    }
}
