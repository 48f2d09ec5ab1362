package io.eventstream.adapter.jms;

import io.eventstream.core.hub.Hub;

import io.eventstream.core.admission.Admission;

import java.time.Clock;
import java.time.Duration;

import io.eventstream.core.presence.NodeReport;

import io.eventstream.core.presence.NodeLoad;

import io.eventstream.core.presence.ClusterPresence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Inbound;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTest {

    private static final ChannelEvent EVENT = new ChannelEvent("1", "news", "message", "{}");

    /** What reached the hub: live events, and what each link recovered from the event log. */
    private static final class Recording implements Inbound {
        final List<String> live = new CopyOnWriteArrayList<>();
        final List<List<String>> recovered = new CopyOnWriteArrayList<>();

        @Override
        public void event(ChannelEvent event) {
            live.add(event.id());
        }

        @Override
        public int recover(List<LoggedEvent> log) {
            recovered.add(log.stream().map(logged -> logged.event().id()).toList());
            return log.size();
        }

        @Override
        public void permissionChanged(PermissionChange change) {
        }

        @Override
        public void missed() {
            throw new AssertionError("a link with an event log never reports a gap");
        }

        void awaitLive(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (live.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(count, live.size(), "live events: " + live);
        }
    }

    @TempDir
    Path temp;

    private static Broker broker(Map<String, String> settings) {
        Broker broker = new Broker();
        broker.settings = Settings.of(settings);
        broker.threadFactory = Executors.defaultThreadFactory(); // no container here
        return broker;
    }

    /** An embedded broker with its journal in {@code dataDir}, started, feeding {@code inbound}. */
    private static Broker embedded(Path dataDir, Inbound inbound, Map<String, String> more) {
        return embedded(dataDir, inbound, more, null);
    }

    /** The same, taking the broker that {@code early} started, if it did. */
    private static Broker embedded(Path dataDir, Inbound inbound, Map<String, String> more, EarlyBroker early) {
        Broker broker = broker(embeddedSettings(dataDir, more));
        broker.early = early;
        broker.inbound = inbound;
        // Only what the listener hands it matters here: presence reports and events.
        Clock clock = Clock.systemUTC();
        Admission admission = new Admission(broker.settings, null, null, clock);
        broker.presence = new ClusterPresence(broker.settings, new Hub(broker.settings, admission, clock), admission, null, clock);
        broker.start(null);
        return broker;
    }

    private static Map<String, String> embeddedSettings(Path dataDir, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("broker", "embedded", "broker.data-dir", dataDir.toString()));
        settings.putAll(more);
        return settings;
    }

    /** A broker started early, as the container's bean discovery starts it, for these settings. */
    private static EarlyBroker startedEarly(Path dataDir, Map<String, String> more, Duration untakenLimit) {
        Settings settings = Settings.of(embeddedSettings(dataDir, more));
        EarlyBroker early = new EarlyBroker();
        early.start(EarlyBroker.Plan.of(settings).orElseThrow(), EventLog.of(settings), untakenLimit);
        return early;
    }

    private static ChannelEvent event(String id) {
        return new ChannelEvent(id, "news", "message", "{\"n\":\"" + id + "\"}");
    }

    // Publishes as EventSender.send does: waits for the broker and throws what it refused.
    private static void publish(Broker broker, ChannelEvent event) {
        try {
            broker.send(List.of(event)).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw (EventStreamException) e.getCause();
        }
    }

    @Test
    void eventsSentBeforeARestartAreRecoveredFromTheLogOldestFirstAndTheLogKeepsTheNewestHistoryTotal() throws Exception {
        Path data = temp.resolve("data");
        Recording first = new Recording();
        Broker before = embedded(data, first, Map.of("history.total", "3"));
        try {
            assertEquals(Optional.empty(), before.failure());
            assertEquals(List.of(List.of()), first.recovered, "a new log is empty");
            for (String id : List.of("1", "2", "3", "4", "5")) {
                publish(before, event(id));
            }
            first.awaitLive(5);
        } finally {
            before.stop();
        }

        Recording second = new Recording();
        Broker after = embedded(data, second, Map.of("history.total", "3"));
        try {
            assertEquals(List.of(List.of("3", "4", "5")), second.recovered);
            publish(after, event("6"));
            second.awaitLive(1);
            assertEquals(List.of("6"), second.live, "recovered events are not delivered again live");
        } finally {
            after.stop();
        }
    }

    @Test
    void presenceReportsReachEveryNodeButNeverTheEventLog() throws Exception {
        Path data = temp.resolve("data");
        Recording first = new Recording();
        Broker before = embedded(data, first, Map.of("history.total", "3"));
        try {
            publish(before, event("1"));
            for (int seq = 0; seq < 3; seq++) {
                String report = new NodeReport("other", 1, 2, seq, seq == 0, false, false, NodeLoad.NONE,
                        Map.of("news", seq + 1), Map.of()).toJson();
                before.announce(report).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            publish(before, event("2"));
            first.awaitLive(2);
            assertEquals(3, before.presence.subscribers("news"), "the reports came back over the topic");
        } finally {
            before.stop();
        }
        Recording second = new Recording();
        Broker after = embedded(data, second, Map.of("history.total", "3"));
        try {
            assertEquals(List.of(List.of("1", "2")), second.recovered, "three reports would have pushed event 1 out");
        } finally {
            after.stop();
        }
    }

    @Test
    void whenHistoryTotalChangesTheEmbeddedLogIsResizedToIt() throws Exception {
        Path data = temp.resolve("data");
        Broker before = embedded(data, new Recording(), Map.of("history.total", "5"));
        try {
            for (String id : List.of("1", "2", "3", "4", "5")) {
                publish(before, event(id));
            }
        } finally {
            before.stop();
        }
        Recording second = new Recording();
        Broker after = embedded(data, second, Map.of("history.total", "2"));
        try {
            assertEquals(Optional.empty(), after.failure(), "the node owns its embedded broker: no operator is needed");
            publish(after, event("6"));
            publish(after, event("7"));
            publish(after, event("8"));
        } finally {
            after.stop();
        }
        Recording third = new Recording();
        Broker last = embedded(data, third, Map.of("history.total", "2"));
        try {
            assertEquals(List.of(List.of("7", "8")), third.recovered);
        } finally {
            last.stop();
        }
    }

    @Test
    void withMemoryOnlyHistoryNothingIsKeptAcrossARestart() throws Exception {
        Path data = temp.resolve("data");
        Recording first = new Recording();
        Broker before = embedded(data, first, Map.of("history.durable", "false"));
        try {
            publish(before, event("1"));
            first.awaitLive(1);
            assertEquals(Optional.empty(), before.eventLog());
        } finally {
            before.stop();
        }
        Recording second = new Recording();
        Broker after = embedded(data, second, Map.of("history.durable", "false"));
        after.stop();
        assertEquals(List.of(), second.recovered);
        assertEquals(List.of(), second.live);
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsReportedSayingWhichAndWhatToDo() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        Broker broker = embedded(file.resolve("data"), new Recording(), Map.of());
        try {
            String failure = broker.failure().orElseThrow();
            assertTrue(failure.contains(file.resolve("data").toString()) && failure.contains("eventstream.broker.data-dir"), failure);
            EventStreamException refused = assertThrows(EventStreamException.class, () -> publish(broker, EVENT));
            assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        } finally {
            broker.stop();
        }
    }

    @Test
    void publishingBeforeTheBrokerStartedFailsLoudly() {
        EventStreamException refused = assertThrows(EventStreamException.class, () -> publish(broker(Map.of()), EVENT));
        assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        assertTrue(refused.getMessage().contains("has not started"), refused.getMessage());
    }

    @Test
    void aBrokerThatFailedToStartSaysWhyOnEveryPublish() {
        Broker broker = broker(Map.of("broker", "kafka"));
        broker.start(null);
        assertTrue(broker.failure().orElseThrow().contains("must be 'embedded', 'artemis' or 'container'"));
        EventStreamException refused = assertThrows(EventStreamException.class, () -> publish(broker, EVENT));
        assertTrue(refused.getMessage().contains("'news'") && refused.getMessage().contains("kafka"), refused.getMessage());
    }

    @Test
    void aRemoteBrokerNeedsItsUrl() {
        Broker broker = broker(Map.of("broker", "artemis"));
        broker.start(null);
        assertTrue(broker.failure().orElseThrow().contains("eventstream.broker.url"));
        assertEquals("artemis", broker.broker());
    }
    @Test
    void theBrokerStartedEarlyIsTheOneTheNodeLinksToAndItRecoversTheLog() throws Exception {
        Path data = temp.resolve("data");
        Map<String, String> small = Map.of("history.total", "3");
        Recording first = new Recording();
        // The early broker holds the data directory's lock: a node that started a broker of its own would wait 5 s
        // for it and fail.
        Broker before = embedded(data, first, small, startedEarly(data, small, EarlyBroker.UNTAKEN_LIMIT));
        try {
            assertEquals(Optional.empty(), before.failure());
            for (String id : List.of("1", "2", "3", "4", "5")) {
                publish(before, event(id));
            }
            first.awaitLive(5);
        } finally {
            before.stop();
        }

        Recording second = new Recording();
        Broker after = embedded(data, second, small, startedEarly(data, small, EarlyBroker.UNTAKEN_LIMIT));
        try {
            assertEquals(List.of(List.of("3", "4", "5")), second.recovered);
            publish(after, event("6"));
            second.awaitLive(1);
        } finally {
            after.stop();
        }
    }

    @Test
    void anEarlyStartThatFailedIsReportedAsALateOneWouldBe() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        Broker broker = embedded(file.resolve("data"), new Recording(), Map.of(),
                startedEarly(file.resolve("data"), Map.of(), EarlyBroker.UNTAKEN_LIMIT));
        try {
            String failure = broker.failure().orElseThrow();
            assertTrue(failure.contains(file.resolve("data").toString()) && failure.contains("eventstream.broker.data-dir"), failure);
            EventStreamException refused = assertThrows(EventStreamException.class, () -> publish(broker, EVENT));
            assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        } finally {
            broker.stop();
        }
    }

    @Test
    void aBrokerStartedEarlyForOtherSettingsIsStoppedAndTheNodeStartsItsOwn() throws Exception {
        Path data = temp.resolve("data");
        Recording recording = new Recording();
        Broker broker = embedded(data, recording, Map.of("history.total", "5"),
                startedEarly(data, Map.of("history.total", "3"), EarlyBroker.UNTAKEN_LIMIT));
        try {
            assertEquals(Optional.empty(), broker.failure());
            for (String id : List.of("1", "2", "3", "4", "5", "6")) {
                publish(broker, event(id));
            }
            recording.awaitLive(6);
        } finally {
            broker.stop();
        }
        Recording restarted = new Recording();
        Broker again = embedded(data, restarted, Map.of("history.total", "5"));
        try {
            assertEquals(List.of(List.of("2", "3", "4", "5", "6")), restarted.recovered, "the log keeps 5, not 3");
        } finally {
            again.stop();
        }
    }

    @Test
    void aBrokerNobodyTookIsStoppedAtShutdownOrAfterItsLimitAndFreesItsDataDirectory() throws Exception {
        Path data = temp.resolve("data");
        EarlyBroker atShutdown = startedEarly(data, Map.of(), EarlyBroker.UNTAKEN_LIMIT);
        atShutdown.stopAtShutdown(null);
        assertEquals(Optional.empty(), atShutdown.take(EarlyBroker.Plan.of(Settings.of(embeddedSettings(data, Map.of()))).orElseThrow()),
                "stopped, so nobody can take it any more");
        Broker next = embedded(data, new Recording(), Map.of());
        try {
            assertEquals(Optional.empty(), next.failure(), "the lock is free");
        } finally {
            next.stop();
        }

        EarlyBroker forgotten = startedEarly(data, Map.of(), Duration.ofMillis(100));
        // The node's own start waits up to 5 s for the lock, which the timer frees after 0.1 s.
        Broker late = embedded(data, new Recording(), Map.of());
        try {
            assertEquals(Optional.empty(), late.failure());
        } finally {
            late.stop();
        }
        assertEquals(Optional.empty(), forgotten.take(EarlyBroker.Plan.of(Settings.of(embeddedSettings(data, Map.of()))).orElseThrow()));
    }

    @Test
    void onlyAnEmbeddedBrokerWithADurableLogIsStartedEarly() {
        assertTrue(EarlyBroker.Plan.of(Settings.of(Map.of("broker", "embedded"))).isPresent());
        assertEquals(Optional.empty(), EarlyBroker.Plan.of(Settings.of(Map.of("broker", "embedded", "history.durable", "false"))));
        assertEquals(Optional.empty(), EarlyBroker.Plan.of(Settings.of(Map.of("broker", "artemis"))));
        assertEquals(Optional.empty(), EarlyBroker.Plan.of(Settings.of(Map.of("broker", "container"))));
    }
}
