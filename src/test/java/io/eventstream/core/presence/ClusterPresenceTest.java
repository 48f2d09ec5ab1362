package io.eventstream.core.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.Caller;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.stream.FakeConnection;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.SseStreamsFixture;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterPresenceTest {

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        long millis = 1_000_000;

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
        @Override public long millis() { return millis; }
    }

    private final HandClock clock = new HandClock();
    private final Settings settings = Settings.of(Map.of("eventstream.presence.events", "room/*"));
    private final SseStreams streams = SseStreamsFixture.start(settings);
    private final Admission admission = new Admission(settings, streams, new AccessPolicy(settings, List.of(), clock), clock);
    private final Hub hub = new Hub(settings, admission, clock);
    private final ClusterPresence presence = new ClusterPresence(settings, hub, admission, streams, clock);

    @AfterEach
    void stop() {
        SseStreamsFixture.stop(streams);
    }

    private SseStream subscribe(String user, String... channels) {
        SseStream stream = admission.open(new Caller(user, null), List.of(channels), "test", FakeConnection::new);
        hub.subscribe(stream, new ChannelSelection(List.of(channels)), null);
        return stream;
    }

    private static NodeReport report(String node, long startedAt, long seq, boolean full, Map<String, Integer> counts,
                                      Map<String, Set<String>> users) {
        return new NodeReport(node, startedAt, 0, seq, full, false, false, NodeLoad.NONE, counts, users);
    }

    @Test
    void countsAreThisNodesSubscribersPlusWhatTheOthersAnnounced() {
        subscribe(null, "news", "sport");
        subscribe("alice", "news");
        presence.apply(report("b", 1, 0, true, Map.of("news", 5, "weather", 1), Map.of()));
        presence.apply(report("c", 1, 0, true, Map.of("news", 1), Map.of()));
        assertEquals(8, presence.subscribers("news"));
        assertEquals(1, presence.subscribers("sport"));
        assertEquals(1, presence.subscribers("weather"));
        assertEquals(0, presence.subscribers("nobody-reads-this"));
        assertEquals(List.of(new ChannelCount("news", 8), new ChannelCount("sport", 1)), presence.busiest(2));
    }

    @Test
    void changesApplyInOrderAndALostReportKeepsTheLastCountsUntilAFullOne() {
        presence.apply(report("b", 1, 0, true, Map.of("news", 5, "sport", 2), Map.of()));
        presence.apply(report("b", 1, 1, false, Map.of("news", 6, "sport", 0), Map.of()));
        assertEquals(6, presence.subscribers("news"));
        assertEquals(0, presence.subscribers("sport"));
        presence.takeResendWanted();

        presence.apply(report("b", 1, 3, false, Map.of("news", 9), Map.of())); // report 2 was lost
        assertEquals(6, presence.subscribers("news"), "changes after a gap are not applied to what is known");
        assertTrue(presence.takeResendWanted(), "this node asks for full reports");
        presence.apply(report("b", 1, 4, false, Map.of("news", 10), Map.of()));
        assertEquals(6, presence.subscribers("news"), "still waiting for a full report");
        presence.apply(report("b", 1, 5, true, Map.of("news", 10), Map.of()));
        assertEquals(10, presence.subscribers("news"));
        presence.apply(report("b", 1, 6, false, Map.of("news", 11), Map.of()));
        assertEquals(11, presence.subscribers("news"));
    }

    @Test
    void aNodeNotHeardForFiveSecondsOrLeavingNoLongerCounts() {
        presence.apply(report("b", 1, 0, true, Map.of("news", 5), Map.of()));
        presence.apply(report("c", 1, 0, true, Map.of("news", 1), Map.of()));
        clock.millis += ClusterPresence.EXPIRY_MILLIS;
        presence.apply(report("c", 1, 1, false, Map.of(), Map.of()));
        assertEquals(6, presence.subscribers("news"));
        clock.millis += 1;
        assertEquals(1, presence.subscribers("news"), "b went silent");
        presence.apply(new NodeReport("c", 1, 0, 2, true, false, true, NodeLoad.NONE, Map.of(), Map.of()));
        assertEquals(0, presence.subscribers("news"), "c said it was leaving");
        assertEquals(List.of(presence.node()), presence.nodes().stream().map(NodeStatus::node).toList());
    }

    @Test
    void aNewNodeGetsAFullReportAndAResendRequestIsHonoured() {
        presence.apply(report("b", 1, 0, true, Map.of(), Map.of()));
        assertTrue(presence.takeFullWanted(), "b is new");
        assertFalse(presence.takeFullWanted());
        presence.apply(report("b", 1, 1, false, Map.of(), Map.of()));
        assertFalse(presence.takeFullWanted());
        presence.apply(new NodeReport("b", 1, 0, 2, false, true, false, NodeLoad.NONE, Map.of(), Map.of()));
        assertTrue(presence.takeFullWanted(), "b asked for full reports");
    }

    @Test
    void nodesShowStateLoadAndRates() {
        subscribe(null, "news");
        presence.sample();
        hub.event(new ChannelEvent("e1", "news", "message", "1"));
        hub.event(new ChannelEvent("e2", "news", "message", "2"));
        clock.millis += 1000;
        presence.sample();
        presence.apply(new NodeReport("b", 1, 5000, 0, true, false, false, new NodeLoad(1, 1, 10, 20, 0, 0), Map.of(), Map.of()));
        presence.apply(new NodeReport("b", 1, 7000, 1, false, false, false, new NodeLoad(1, 1, 30, 60, 2, 1), Map.of(), Map.of()));
        List<NodeStatus> nodes = presence.nodes();
        NodeStatus self = nodes.stream().filter(NodeStatus::self).findFirst().orElseThrow();
        assertEquals("unlinked", self.state(), "its own reports have not come back over the topic");
        assertEquals(1, self.connections());
        assertEquals(2, self.eventsIn());
        assertEquals(2.0, self.eventsInPerSecond(), 1e-9);
        NodeStatus b = nodes.stream().filter(node -> node.node().equals("b")).findFirst().orElseThrow();
        assertEquals(new NodeStatus("b", false, "up", 1, 7000, 1, 1, 30, 60, 2, 1, 10.0, 20.0), b);

        presence.apply(report(presence.node(), presence.startedAt(), 0, true, Map.of(), Map.of()));
        assertEquals("up", presence.nodes().stream().filter(NodeStatus::self).findFirst().orElseThrow().state());
    }

    @Test
    void usersAreKnownPerChannelWithPresenceEventsAcrossNodes() {
        subscribe("alice", "room/1", "news");
        subscribe(null, "room/1");
        presence.apply(report("b", 1, 0, true, Map.of("room/1", 2), Map.of("room/1", Set.of("bob", "alice"), "room/2", Set.of("carol"))));
        assertEquals(Map.of("room/1", Set.of("alice", "bob"), "room/2", Set.of("carol")), presence.users());
        assertEquals(Map.of("room/1", Set.of("alice")), presence.localUsers(), "anonymous readers and other channels are not users");
    }

    @Test
    void theOldestLinkedNodeLeadsOnceWarmedUp() {
        assertFalse(presence.leads(), "not warmed up, and not linked");
        clock.millis += ClusterPresence.WARM_UP_MILLIS;
        assertFalse(presence.leads(), "its reports do not come back: no link");
        presence.apply(report(presence.node(), presence.startedAt(), 0, true, Map.of(), Map.of()));
        assertTrue(presence.leads());
        presence.apply(report("younger", presence.startedAt() + 1, 0, true, Map.of(), Map.of()));
        assertTrue(presence.leads());
        presence.apply(report("older", presence.startedAt() - 1, 0, true, Map.of(), Map.of()));
        assertFalse(presence.leads());
        clock.millis += ClusterPresence.EXPIRY_MILLIS + 1;
        presence.apply(report(presence.node(), presence.startedAt(), 1, false, Map.of(), Map.of()));
        assertTrue(presence.leads(), "the older node went silent");
    }

    @Test
    void presenceEventsOnTheTopicTellWhoIsAnnounced() {
        presence.observed(new ChannelEvent("1", "room/1", "presence-join", "{\"user\":\"alice\"}"));
        presence.observed(new ChannelEvent("2", "room/1", "presence-join", "{\"user\":\"bob\"}"));
        presence.observed(new ChannelEvent("3", "room/1", "presence-leave", "{\"user\":\"alice\"}"));
        presence.observed(new ChannelEvent("4", "room/1", "message", "{\"user\":\"carol\"}"));
        presence.observed(new ChannelEvent("5", "room/1", "presence-join", "\"no user\""));
        assertEquals(Map.of("room/1", Set.of("bob")), presence.announced());
        presence.observed(new ChannelEvent("6", "room/1", "presence-leave", "{\"user\":\"bob\"}"));
        assertEquals(Map.of(), presence.announced());
    }
}
