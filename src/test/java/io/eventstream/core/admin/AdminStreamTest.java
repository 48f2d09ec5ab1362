package io.eventstream.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.presence.ChannelCount;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.presence.NodeStatus;
import io.eventstream.core.stream.ClientEvent;
import io.eventstream.core.stream.FakeConnection;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.SseStreamsFixture;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin feed with real {@link SseStreams} on fake connections, its once-a-second task driven by hand (the period
 * is set far beyond the test): what reached a client is waited for, within a bound.
 */
class AdminStreamTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2031-06-01T12:00:00Z"), ZoneOffset.UTC);

    /** The cluster as the test sets it: the connections of the one node, and whether reading it fails. */
    private final AtomicInteger connections = new AtomicInteger(1);
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicInteger busiestLimit = new AtomicInteger();
    private SseStreams streams;
    private AdminStream feed;

    @BeforeEach
    void startFeed() {
        Settings settings = Settings.of(Map.of("eventstream.admin.token", "secret"));
        streams = SseStreamsFixture.start(settings);
        feed = new AdminStream();
        feed.settings = settings;
        feed.streams = streams;
        feed.admission = new Admission(settings, streams, new AccessPolicy(settings, List.of(), CLOCK), CLOCK);
        feed.clock = CLOCK;
        feed.periodMillis = TimeUnit.HOURS.toMillis(1);
        feed.presence = new ClusterPresence() {
            @Override
            public List<NodeStatus> nodes() {
                if (failing.get()) {
                    throw new IllegalStateException("presence failed, as a test wants");
                }
                return List.of(new NodeStatus("n1", true, "up", 0, 0, connections.get(), 1, 5, 10, 0, 0, 1.5, 3.0));
            }

            @Override
            public List<ChannelCount> busiest(int limit) {
                busiestLimit.set(limit);
                return List.of(new ChannelCount("news", connections.get() - 1));
            }
        };
    }

    @AfterEach
    void stopFeed() {
        feed.stop();
        SseStreamsFixture.stop(streams);
    }

    private static JsonObject data(ClientEvent event) {
        try (var reader = JsonData.JSON.createReader(new StringReader(event.data()))) {
            return reader.readObject();
        }
    }

    @Test
    void anAdminPageGetsStreamOpenAndASnapshotAtOnceThenOneEachTick() throws InterruptedException {
        FakeConnection page = new FakeConnection();
        feed.open(() -> page);
        await(() -> ClientEvent.of(page).size() == 2);
        List<ClientEvent> events = ClientEvent.of(page);
        assertEquals("stream-open", events.get(0).event());
        assertEquals("cluster", events.get(1).event());
        assertEquals(1, data(events.get(1)).getJsonObject("totals").getInt("connections"));
        assertEquals(AdminStream.BUSIEST, busiestLimit.get(), "the top 10 channels");
        assertEquals(CLOCK.millis(), data(events.get(1)).getJsonNumber("at").longValue());

        connections.set(4);
        feed.tick();
        await(() -> ClientEvent.of(page).size() == 3);
        JsonObject second = data(ClientEvent.of(page).get(2));
        assertEquals(4, second.getJsonObject("totals").getInt("connections"));
        assertEquals(3, second.getJsonArray("busiest").getJsonObject(0).getInt("subscribers"));
    }

    @Test
    void oneSnapshotGoesToEveryOpenPageAndAClosedPageGetsNoMore() throws InterruptedException {
        FakeConnection first = new FakeConnection();
        FakeConnection second = new FakeConnection();
        feed.open(() -> first);
        feed.open(() -> second);
        await(() -> ClientEvent.of(first).size() == 2 && ClientEvent.of(second).size() == 2);
        assertEquals(2, feed.admission.count(), "each page is a stream, admitted as any other");

        first.failing = true; // the first page's browser went away: its next write fails and closes it
        feed.tick();
        await(() -> feed.admission.count() == 1);
        await(() -> ClientEvent.of(second).size() == 3);
        first.failing = false;
        int firstHad = ClientEvent.of(first).size();
        feed.tick();
        await(() -> ClientEvent.of(second).size() == 4);
        assertEquals(firstHad, ClientEvent.of(first).size(), "nothing more for the page that left");
    }

    @Test
    void aSnapshotThatFailsIsSkippedAndTheNextTickSendsAgain() throws InterruptedException {
        FakeConnection page = new FakeConnection();
        feed.open(() -> page);
        await(() -> ClientEvent.of(page).size() == 2);
        failing.set(true);
        feed.tick(); // logs, throws nothing: an exception would end the scheduled task for good
        failing.set(false);
        feed.tick();
        await(() -> ClientEvent.of(page).size() == 3);
        assertTrue(ClientEvent.of(page).stream().allMatch(event -> event.event().equals("stream-open")
                || event.event().equals("cluster")));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }
}
