package io.eventstream.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHistoryTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    private static ChannelEvent event(String id, String channel) {
        return new ChannelEvent(id, channel, "message", "{}");
    }

    // Each event's frame is its id's bytes here, so a test can tell which frames a replay hands out.
    private static void retain(EventHistory history, ChannelEvent event) {
        history.append(event, event.id().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(Replay replay) {
        return replay.events().stream().map(ChannelEvent::id).toList();
    }

    @Test
    void aReplayHandsOutTheFramesRetainedWithItsEventsInTheSameOrder() {
        EventHistory history = new EventHistory(100, Duration.ofHours(1), 1000, clock);
        for (String[] e : new String[][] {{"1", "a"}, {"2", "b"}, {"3", "a"}, {"4", "b"}}) {
            retain(history, event(e[0], e[1]));
        }
        Replay replay = history.replay("1", List.of("a", "b"));
        assertEquals(List.of("2", "3", "4"), replay.frames().stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList());
        assertEquals(ids(replay), replay.frames().stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList());
    }

    @Test
    void anEventWhoseIdIsRetainedAlreadyIsRefusedUntilItIsEvicted() {
        EventHistory history = new EventHistory(1, Duration.ofHours(1), 1000, clock);
        assertTrue(history.append(event("1", "a"), new byte[0]));
        assertTrue(history.append(event("2", "b"), new byte[0]));
        assertFalse(history.append(event("1", "a"), new byte[0]), "a repeat of a retained event");
        assertEquals(List.of("2"), ids(history.replay("1", List.of("a", "b"))), "retained once");
        assertEquals("2", history.latestId(), "a repeat does not move the newest position");

        assertTrue(history.append(event("3", "a"), new byte[0])); // evicts "1" (one per channel)
        assertTrue(history.append(event("1", "a"), new byte[0]), "an id no longer retained is taken as new");
    }

    @Test
    void replaysTheMissedEventsOfEveryWantedChannelInReceiveOrder() {
        EventHistory history = new EventHistory(100, Duration.ofHours(1), 1000, clock);
        for (String[] e : new String[][] {{"1", "a"}, {"2", "b"}, {"3", "c"}, {"4", "a"}, {"5", "x"}, {"6", "c"}, {"7", "b"}}) {
            retain(history, event(e[0], e[1]));
        }
        Replay replay = history.replay("2", List.of("a", "b", "c"));
        assertEquals(List.of("3", "4", "6", "7"), ids(replay));
        assertEquals(List.of(), replay.resetChannels());
        assertEquals("7", replay.latestId());
        assertEquals(List.of(), ids(history.replay("7", List.of("a", "b", "c"))));
    }

    @Test
    void aGapResetsEveryPositionFromBeforeItButResumesThoseAfter() {
        EventHistory history = new EventHistory(100, Duration.ofHours(1), 1000, clock);
        retain(history, event("1", "a"));
        retain(history, event("2", "b"));
        history.gap(); // the node lost its broker: events may have been published that it never saw
        retain(history, event("3", "a"));
        retain(history, event("4", "b"));
        Replay beforeGap = history.replay("2", List.of("a", "b"));
        assertEquals(List.of(), ids(beforeGap));
        assertEquals(List.of("a", "b"), beforeGap.resetChannels());
        Replay afterGap = history.replay("3", List.of("a", "b"));
        assertEquals(List.of("4"), ids(afterGap));
        assertEquals(List.of(), afterGap.resetChannels());
    }

    @Test
    void beforeAnyEventThePositionIsTheStartWhichResumesEverythingUntilSomethingIsEvicted() {
        EventHistory history = new EventHistory(2, Duration.ofHours(1), 1000, clock);
        String start = history.replay(null, List.of("a")).latestId();
        assertTrue(start.startsWith("start-"), start);
        EventIds.requireResumable(start);
        retain(history, event("1", "a"));
        retain(history, event("2", "b"));
        assertEquals(List.of("1", "2"), ids(history.replay(start, List.of("a", "b"))));
        retain(history, event("3", "a"));
        retain(history, event("4", "a")); // evicts 1
        Replay afterEviction = history.replay(start, List.of("a", "b"));
        assertEquals(List.of(), ids(afterEviction));
        assertEquals(List.of("a", "b"), afterEviction.resetChannels());
    }

    @Test
    void theStartPositionIsResetByAGap() {
        EventHistory history = new EventHistory(100, Duration.ofHours(1), 1000, clock);
        String start = history.replay(null, List.of("a")).latestId();
        history.gap();
        retain(history, event("1", "a"));
        assertEquals(List.of("a"), history.replay(start, List.of("a")).resetChannels());
    }

    @Test
    void aNewClientGetsNoReplayButTheLatestPosition() {
        EventHistory history = new EventHistory(100, Duration.ofHours(1), 1000, clock);
        retain(history, event("1", "a"));
        Replay replay = history.replay(null, List.of("a"));
        assertEquals(List.of(), ids(replay));
        assertEquals("1", replay.latestId());
    }

    @Test
    void aChannelThatLostEventsAfterThePositionIsReset() {
        EventHistory history = new EventHistory(2, Duration.ofHours(1), 1000, clock);
        retain(history, event("1", "quiet"));
        retain(history, event("2", "busy"));
        retain(history, event("3", "busy"));
        retain(history, event("4", "busy")); // evicts 2: busy lost an event after position 1
        retain(history, event("5", "quiet"));
        Replay replay = history.replay("1", List.of("quiet", "busy"));
        assertEquals(List.of("busy"), replay.resetChannels());
        assertEquals(List.of("5"), ids(replay));
    }

    @Test
    void anUnknownOrEvictedPositionResetsEveryChannel() {
        EventHistory history = new EventHistory(1, Duration.ofHours(1), 1000, clock);
        retain(history, event("1", "a"));
        retain(history, event("2", "a"));
        assertEquals(List.of("a", "b"), history.replay("1", List.of("a", "b")).resetChannels());
        assertEquals(List.of("a"), history.replay("never-seen", List.of("a")).resetChannels());
    }

    @Test
    void oldEventsExpireByAge() {
        EventHistory history = new EventHistory(100, Duration.ofMinutes(10), 1000, clock);
        retain(history, event("1", "a"));
        now = now.plus(Duration.ofMinutes(6));
        retain(history, event("2", "a"));
        now = now.plus(Duration.ofMinutes(6));
        history.replay(null, List.of("a")); // reading also expires
        assertEquals(1, history.size());
        assertEquals(List.of("a"), history.replay("1", List.of("a")).resetChannels());
        assertEquals(List.of(), ids(history.replay("2", List.of("a"))));
    }

    @Test
    void memoryStaysBoundedByTheTotalWhateverTheNumberOfChannels() {
        EventHistory history = new EventHistory(1000, Duration.ofHours(1), 500, clock);
        for (int i = 0; i < 100_000; i++) {
            retain(history, event("e" + i, "channel-" + (i % 5000)));
        }
        assertEquals(500, history.size());
        assertEquals(List.of("e99999"), ids(history.replay("e99998", List.of("channel-4999"))));
    }

    @Test
    void aBusyChannelKeepsItsNewestEventsAndAnOldPositionOnItIsReset() {
        EventHistory history = new EventHistory(10, Duration.ofHours(1), 100_000, clock);
        retain(history, event("old", "quiet"));
        for (int i = 0; i < 200_000; i++) {
            retain(history, event("b" + i, "busy"));
        }
        assertEquals(11, history.size());
        assertEquals(List.of(), history.replay("old", List.of("quiet")).resetChannels());
        assertEquals(List.of("busy"), history.replay("old", List.of("busy")).resetChannels());
    }

    @Test
    void recentHandsOutAChannelsNewestEventsNewestLastWithoutWhatTheBoundsEvicted() {
        EventHistory history = new EventHistory(3, Duration.ofHours(1), 1000, clock);
        for (String[] e : new String[][] {{"1", "a"}, {"2", "b"}, {"3", "a"}, {"4", "a"}, {"5", "a"}, {"6", "b"}}) {
            retain(history, event(e[0], e[1]));
        }
        assertEquals(List.of("4", "5"), history.recent("a", 2).stream().map(ChannelEvent::id).toList());
        assertEquals(List.of("3", "4", "5"), history.recent("a", 20).stream().map(ChannelEvent::id).toList(),
                "event 1 was evicted by the per-channel bound");
        assertEquals(List.of("2", "6"), history.recent("b", 20).stream().map(ChannelEvent::id).toList());
        assertEquals(List.of(), history.recent("nothing-here", 20));
        assertEquals(List.of(), history.recent("a", 0));
        now = now.plus(Duration.ofHours(2));
        assertEquals(List.of(), history.recent("a", 20), "expired by age");
    }
}
