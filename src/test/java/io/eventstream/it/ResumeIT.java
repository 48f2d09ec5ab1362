package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Hub;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Resume with Last-Event-ID; the history keeps its default 1000 events per channel. */
class ResumeIT extends HubIT {

    private String publish(String channel, String data) throws Exception {
        return hub.publishData(channel, data);
    }

    @Test
    void resumesOneChannelAfterADisconnectWithoutGapOrDuplicate() throws Exception {
        String lastSeen;
        try (SseClient client = hub.subscribe("resume-one")) {
            assertEquals("stream-open", client.next(WAIT).event());
            for (int i = 1; i <= 3; i++) {
                publish("resume-one", String.valueOf(i));
            }
            List<SseEvent> seen = client.take(3, WAIT);
            assertEquals(List.of("1", "2", "3"), SseEvent.data(seen));
            lastSeen = seen.get(2).id();
        }
        for (int i = 4; i <= 6; i++) {
            publish("resume-one", String.valueOf(i));
        }
        try (SseClient again = SseClient.open(hub.channels("resume-one"), Map.of("Last-Event-ID", lastSeen))) {
            assertEquals("stream-open", again.next(WAIT).event());
            assertEquals(List.of("4", "5", "6"), SseEvent.data(again.take(3, WAIT)));
            publish("resume-one", "7");
            assertEquals(List.of("7"), SseEvent.data(again.take(1, WAIT)));
            assertEquals(List.of(), again.drain(Duration.ofMillis(300)));
        }
    }

    @Test
    void resumesThreeChannelsAtOnceWithInterleavedPublishing() throws Exception {
        String[] channels = {"tri-a", "tri-b", "tri-c"};
        List<String> expected = new ArrayList<>();
        String lastSeen;
        try (SseClient client = hub.subscribe(channels)) {
            assertEquals("stream-open", client.next(WAIT).event());
            for (int i = 0; i < 9; i++) {
                publish(channels[i % 3], String.valueOf(i));
            }
            List<SseEvent> seen = client.take(9, WAIT);
            lastSeen = seen.get(4).id(); // drop mid-stream: events 5..8 were read but count as missed
            for (int i = 5; i < 9; i++) {
                expected.add(String.valueOf(i));
            }
        }
        for (int i = 9; i < 30; i++) {
            publish(i % 4 == 3 ? "tri-other" : channels[i % 3], String.valueOf(i));
            if (i % 4 != 3) {
                expected.add(String.valueOf(i));
            }
        }
        try (SseClient again = SseClient.open(hub.uri("events?channel=tri-a&channel=tri-b&channel=tri-c&lastEventId=" + lastSeen))) {
            assertEquals("stream-open", again.next(WAIT).event());
            assertEquals(expected, SseEvent.data(again.take(expected.size(), WAIT)));
            assertEquals(List.of(), again.drain(Duration.ofMillis(300)));
        }
    }

    @Test
    void eventsPublishedWhileTheReplayRunsArriveOnceInOrder() throws Exception {
        String start = publish("replay-race", "-1");
        for (int i = 0; i < 40; i++) {
            publish("replay-race", String.valueOf(i));
        }
        // 500 more published concurrently with the reconnect: each must come once, in replay or live.
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            try {
                hub.post("it/send/burst?channel=replay-race&count=500", null, null, "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (SseClient again = SseClient.open(hub.channels("replay-race"), Map.of("Last-Event-ID", start))) {
            assertEquals("stream-open", again.next(WAIT).event());
            burst.get();
            List<SseEvent> events = again.take(540, Duration.ofSeconds(30));
            for (int i = 0; i < 40; i++) {
                assertEquals(String.valueOf(i), events.get(i).data());
            }
            int seq = 0;
            for (SseEvent event : events.subList(40, 540)) {
                assertEquals(seq++, Hub.json(event.data()).getInt("seq"));
            }
            assertEquals(List.of(), again.drain(Duration.ofMillis(300)));
        }
    }

    @Test
    void aPositionOlderThanTheHistoryGetsStreamResetThenLive() throws Exception {
        String old = publish("too-old", "0");
        try (SseClient watcher = hub.subscribe("too-old")) {
            assertEquals("stream-open", watcher.next(WAIT).event());
            var burst = hub.post("it/send/burst?channel=too-old&count=1001", null, null, "");
            assertEquals(200, burst.statusCode(), burst.body());
            // The publisher returns once the broker has the events; the node's listener may still be behind.
            watcher.take(1001, Duration.ofSeconds(30));
        }
        try (SseClient again = SseClient.open(hub.channels("too-old", "fresh"), Map.of("Last-Event-ID", old))) {
            assertEquals("stream-open", again.next(WAIT).event());
            SseEvent reset = again.next(WAIT);
            assertEquals("stream-reset", reset.event());
            assertEquals(List.of("too-old", "fresh"),
                    Hub.json(reset.data()).getJsonArray("channels").getValuesAs(jakarta.json.JsonString::getString));
            publish("too-old", "61");
            assertEquals(List.of("61"), SseEvent.data(again.take(1, WAIT)));
        }
    }

    @Test
    void streamOpenCarriesThePositionSoAClientThatSawNothingMissesNothing() throws Exception {
        publish("quiet-start", "\"before\"");
        String position;
        try (SseClient client = hub.subscribe("quiet-start")) {
            SseEvent open = client.next(WAIT);
            assertEquals("stream-open", open.event());
            position = open.id();
            assertTrue(position != null && !position.isEmpty());
        }
        publish("quiet-start", "\"while away\"");
        try (SseClient again = SseClient.open(hub.channels("quiet-start"), Map.of("Last-Event-ID", position))) {
            assertEquals("stream-open", again.next(WAIT).event());
            assertEquals(List.of("\"while away\""), SseEvent.data(again.take(1, WAIT)));
        }
    }

    @Test
    void aMalformedLastEventIdIsRefusedWith400() throws Exception {
        for (Map<String, String> header : List.of(Map.of("Last-Event-ID", "not an id"), Map.of("Last-Event-ID", "x".repeat(200)))) {
            try (SseClient refused = SseClient.open(hub.channels("malformed"), header)) {
                assertEquals(400, refused.status());
                assertEquals("bad-request", Hub.json(refused.errorBody()).getString("condition"));
            }
        }
        try (SseClient refused = SseClient.open(hub.uri("events?channel=malformed&lastEventId=%3Cscript%3E"))) {
            assertEquals(400, refused.status());
        }
    }
}
