package io.eventstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.it.support.Deployments;
import io.eventstream.it.support.Hub;
import io.eventstream.it.support.SseClient;
import io.eventstream.it.support.SseEvent;
import io.eventstream.it.support.TwoNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pattern subscriptions (issue 16) on two nodes (Payara Micro processes) sharing a real Artemis broker: a pattern
 * reads every matching channel, those that had events before it subscribed and those that first appear after, in
 * the order every node shares, and resumes exactly on the other node; bad patterns are refused saying what is allowed.
 */
class PatternIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static TwoNodes cluster;
    private static Hub a;
    private static Hub b;

    @BeforeAll
    static void start() throws Exception {
        Path war = Deployments.export(Deployments.eventstream(), "patterns");
        cluster = TwoNodes.start("pattern", war, Map.of(), Map.of());
        a = cluster.a;
        b = cluster.b;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> data(List<SseEvent> events) {
        return events.stream().map(SseEvent::data).toList();
    }

    @Test
    void patternSubscribersOnBothNodesGetExactlyTheMatchingEventsOfOldAndNewChannelsInOrder() throws Exception {
        String run = "p" + System.nanoTime();
        // Published before the subscriptions below: a 202 means the broker holds the event, which reaches the nodes a
        // moment later (through the inbox), so wait until both nodes have delivered it.
        try (SseClient probeA = a.subscribe(run + "/old"); SseClient probeB = b.subscribe(run + "/old")) {
            assertEquals("stream-open", probeA.next(WAIT).event());
            assertEquals("stream-open", probeB.next(WAIT).event());
            a.publishData(run + "/old", "\"before\"");
            assertEquals("\"before\"", probeA.next(WAIT).data());
            assertEquals("\"before\"", probeB.next(WAIT).data());
        }
        try (SseClient onA = a.subscribe(run + "/*");
             SseClient onB = b.subscribe("news-" + run, run + "/old/*");
             SseClient everything = b.subscribe(run + "*")) {
            for (SseClient client : List.of(onA, onB, everything)) {
                assertEquals("stream-open", client.next(WAIT).event());
            }
            List<String> expectedA = new ArrayList<>();
            List<String> expectedB = new ArrayList<>();
            List<String> expectedAll = new ArrayList<>();
            String[] channels = {run + "/old", run + "/new-1", run + "/old/deeper", "news-" + run, run, run + "x/y", "other/" + run};
            for (int i = 0; i < 40; i++) {
                String channel = channels[i % channels.length];
                String data = "\"" + i + "\"";
                (i % 2 == 0 ? a : b).publishData(channel, data);
                if (channel.startsWith(run + "/")) {
                    expectedA.add(data);
                }
                if (channel.startsWith(run + "/old/") || channel.equals("news-" + run)) {
                    expectedB.add(data);
                }
                if (channel.startsWith(run)) {
                    expectedAll.add(data);
                }
            }
            assertEquals(expectedA, data(onA.take(expectedA.size(), WAIT)));
            assertEquals(expectedB, data(onB.take(expectedB.size(), WAIT)));
            assertEquals(expectedAll, data(everything.take(expectedAll.size(), WAIT)));
            for (SseClient client : List.of(onA, onB, everything)) {
                assertEquals(List.of(), client.drain(Duration.ofMillis(500)), "nothing else");
            }
            assertTrue(a.status().getInt("patternSubscriptions") >= 1);
        }
    }

    @Test
    void aResumeOverAPatternOnTheOtherNodeIsExact() throws Exception {
        String run = "r" + System.nanoTime();
        List<String> all = new ArrayList<>();
        String last;
        try (SseClient first = a.subscribe(run + "/*")) {
            assertEquals("stream-open", first.next(WAIT).event());
            for (int i = 0; i < 6; i++) {
                a.publishData(run + "/c" + (i % 3), "\"" + i + "\"");
                all.add("\"" + i + "\"");
            }
            List<SseEvent> seen = first.take(3, WAIT);
            last = seen.get(2).id();
        }
        for (int i = 6; i < 12; i++) {
            b.publishData(run + "/c" + (i % 4), "\"" + i + "\""); // c3 is a channel the first connection never saw
            all.add("\"" + i + "\"");
        }
        try (SseClient resumed = SseClient.open(b.channels(run + "/*"), Map.of("Last-Event-ID", last))) {
            assertEquals("stream-open", resumed.next(WAIT).event());
            assertEquals(all.subList(3, all.size()), data(resumed.take(all.size() - 3, WAIT)));
            assertEquals(List.of(), resumed.drain(Duration.ofMillis(500)), "exactly once");
        }
    }

    @Test
    void badPatternsAre400SayingWhatIsAllowed() throws Exception {
        for (String[] bad : new String[][] {
                {"events/feed/*", "query form only"},
                {"events?channel=feed/*/x", "may only end a pattern"},
                {"events?channel=fe*ed", "may only end a pattern"},
                {"events?channel=*", "eventstream.channels.allow-all-pattern=true"},
                {"events?channel=feed/*&channel=feed/a", "already read through the pattern"}}) {
            try (SseClient refused = SseClient.open(a.uri(bad[0]))) {
                assertEquals(400, refused.status(), bad[0] + ": " + refused.errorBody());
                assertEquals("bad-request", Hub.json(refused.errorBody()).getString("condition"));
                assertTrue(Hub.json(refused.errorBody()).getString("text").contains(bad[1]), refused.errorBody());
            }
        }
    }
}
