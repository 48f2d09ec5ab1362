package io.eventstream.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.Caller;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.presence.NodeLoad;
import io.eventstream.core.presence.NodeReport;
import io.eventstream.core.stream.FakeConnection;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.SseStreamsFixture;
import io.eventstream.core.stream.StreamEnd;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The announcer and the presence events on one node whose topic is looped back, as the broker would hand its own
 * messages back to it; other nodes are reports the test puts on the topic.
 */
class PresenceAnnouncerTest {

    private static final long KEEP_ALIVE_MILLIS = 3_000;

    private static final class HandClock extends Clock {
        long millis = 1_000_000;

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
        @Override public long millis() { return millis; }
    }

    /** The topic, looped back: reports and events go straight to this node's presence, as its listener would hand them. */
    private final class LoopbackTopic implements Outbound {
        final List<NodeReport> reports = new ArrayList<>();
        final List<ChannelEvent> events = new ArrayList<>();
        boolean down;

        @Override
        public CompletionStage<Void> send(List<ChannelEvent> sent) {
            if (down) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            events.addAll(sent);
            sent.forEach(presence::observed);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> announce(String report) {
            if (down) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            NodeReport read = NodeReport.parse(report);
            reports.add(read);
            presence.apply(read);
            return CompletableFuture.completedFuture(null);
        }

        @Override public void send(PermissionChange change) { }
        @Override public Optional<String> failure() { return Optional.empty(); }
        @Override public Optional<String> eventLog() { return Optional.empty(); }
        @Override public String broker() { return "loopback"; }
    }

    private final HandClock clock = new HandClock();
    private final Settings settings = Settings.of(Map.of("eventstream.presence.events", "room/*",
            "eventstream.keepalive", "PT3S"));
    private final SseStreams streams = SseStreamsFixture.start(settings);
    private final Admission admission = new Admission(settings, streams, new AccessPolicy(settings, List.of(), clock), clock);
    private final Hub hub = new Hub(settings, admission, clock);
    private final ClusterPresence presence = new ClusterPresence(settings, hub, admission, streams, clock);
    private final LoopbackTopic topic = new LoopbackTopic();
    private final PresenceAnnouncer announcer = new PresenceAnnouncer(presence, topic, settings, clock);

    @AfterEach
    void stop() {
        SseStreamsFixture.stop(streams);
    }

    private SseStream subscribe(String user, String... channels) {
        SseStream stream = admission.open(new Caller(user, null), List.of(channels), "test", FakeConnection::new);
        hub.subscribe(stream, new ChannelSelection(List.of(channels)), null);
        return stream;
    }

    private void seconds(int n) {
        for (int i = 0; i < n; i++) {
            clock.millis += 1000;
            announcer.tick();
        }
    }

    private List<String> presenceEvents() {
        return topic.events.stream().map(event -> event.type() + " " + event.channel() + " " + event.data()).toList();
    }

    @Test
    void theFirstReportIsFullAndTheNextOnesCarryOnlyWhatChanged() {
        subscribe(null, "news", "sport");
        seconds(1);
        subscribe(null, "news");
        SseStream weather = subscribe(null, "weather");
        seconds(1);
        weather.close(StreamEnd.CLOSED);
        seconds(1);
        assertEquals(List.of(true, false, false), topic.reports.stream().map(NodeReport::full).toList());
        assertEquals(List.of(Map.of("news", 1, "sport", 1), Map.of("news", 2, "weather", 1), Map.of("weather", 0)),
                topic.reports.stream().map(NodeReport::counts).toList());
        assertEquals(List.of(0L, 1L, 2L), topic.reports.stream().map(NodeReport::seq).toList());
        assertEquals(new NodeLoad(2, 2, 0, 0, 0, 0), topic.reports.get(2).load());
    }

    @Test
    void aNewNodeOnTheTopicGetsAFullReportNext() {
        seconds(2);
        presence.apply(new NodeReport("b", 1, 0, 0, true, false, false, NodeLoad.NONE, Map.of(), Map.of()));
        seconds(2);
        assertEquals(List.of(true, false, true, false), topic.reports.stream().map(NodeReport::full).toList());
    }

    @Test
    void aKnownUsersFirstStreamIsAJoinAndTheLastClosedForAKeepAliveIsALeave() {
        seconds(3); // warmed up, and its reports came back: it leads
        assertTrue(presence.leads());
        SseStream first = subscribe("alice", "room/1");
        subscribe(null, "room/1");
        subscribe("bob", "news");
        seconds(1);
        SseStream second = subscribe("alice", "room/1");
        seconds(1);
        assertEquals(List.of("presence-join room/1 {\"user\":\"alice\"}"), presenceEvents(), "one join, only on room/*, only for users");

        first.close(StreamEnd.CLIENT_LEFT);
        second.close(StreamEnd.CLIENT_LEFT);
        seconds(2);
        SseStream reconnected = subscribe("alice", "room/1"); // back within the keep-alive: no leave, no join
        seconds(5);
        assertEquals(1, presenceEvents().size(), presenceEvents().toString());

        topic.events.clear();
        reconnected.close(StreamEnd.CLIENT_LEFT);
        seconds(2);
        assertEquals(List.of(), presenceEvents(), "not yet: the keep-alive has not passed");
        seconds(2);
        assertEquals(List.of("presence-leave room/1 {\"user\":\"alice\"}"), presenceEvents());
        seconds(5);
        assertEquals(1, presenceEvents().size(), "one leave");
    }

    @Test
    void usersOnOtherNodesCountAndAFollowerSendsNothing() {
        seconds(3);
        presence.apply(new NodeReport("b", presence.startedAt() + 1, 0, 0, true, false, false, NodeLoad.NONE,
                Map.of("room/1", 1), Map.of("room/1", Set.of("carol"))));
        seconds(1);
        assertEquals(List.of("presence-join room/1 {\"user\":\"carol\"}"), presenceEvents(), "b is younger: this node leads");

        topic.events.clear();
        presence.apply(new NodeReport("a-older", presence.startedAt() - 1, 0, 0, true, false, false, NodeLoad.NONE,
                Map.of("room/2", 1), Map.of("room/2", Set.of("dave"))));
        seconds(1);
        assertFalse(presence.leads());
        assertEquals(List.of(), presenceEvents(), "the older node sends dave's join, not this one");
    }

    @Test
    void aJoinTheBrokerRefusedIsSentAgain() {
        seconds(3);
        subscribe("alice", "room/1");
        topic.down = true;
        seconds(1);
        topic.down = false;
        seconds(3); // its reports come back again: it leads again
        assertEquals(List.of("presence-join room/1 {\"user\":\"alice\"}"), presenceEvents());
    }
}
