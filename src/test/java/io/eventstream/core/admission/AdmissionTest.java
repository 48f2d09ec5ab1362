package io.eventstream.core.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.ChannelAuthorizer;
import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.ChannelPatterns;
import io.eventstream.core.access.Caller;
import io.eventstream.core.access.SubscriberToken;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.limits.RetryLater;
import io.eventstream.core.stream.ClientEvent;
import io.eventstream.core.stream.FakeConnection;
import io.eventstream.core.stream.SseFrames;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.SseStreamsFixture;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.stream.StreamEnd;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admission with real {@link SseStreams} (writer threads and the scheduler) on fake connections: what reached a client
 * is waited for, within a bound.
 */
class AdmissionTest {

    // Far from the machine's own time: a stream's token expiry must be reckoned with the admission's clock.
    private static final Instant NOW = Instant.parse("2031-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final Caller ALICE = new Caller("alice", null);
    private static final Caller BOB = new Caller("bob", null);

    /** Who may read what, as the application's authorizer says: "user:channel" pairs, changed by the tests. */
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private final ChannelAuthorizer authorizer = (user, channel) -> allowed.contains(user + ":" + channel);
    private SseStreams streams;

    @AfterEach
    void stopStreams() {
        if (streams != null) {
            SseStreamsFixture.stop(streams);
        }
    }

    private Admission admission(Map<String, String> overrides) {
        Settings settings = Settings.of(overrides);
        streams = SseStreamsFixture.start(settings);
        return new Admission(settings, streams, new AccessPolicy(settings, List.of(authorizer), CLOCK), CLOCK);
    }

    /** A connection opener that counts its calls. */
    private static final class Connector {
        final AtomicInteger calls = new AtomicInteger();
        final FakeConnection connection = new FakeConnection();

        FakeConnection get() {
            calls.incrementAndGet();
            return connection;
        }
    }

    private static SseStream open(Admission admission, Caller who, String... channels) {
        return admission.open(who, List.of(channels), "channels " + String.join(", ", channels), FakeConnection::new);
    }

    private static void assertRefusedWithoutConnecting(Admission admission, Caller who, List<String> channels, String why) {
        Connector connector = new Connector();
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> admission.open(who, channels, "test", connector::get));
        assertEquals(Refusal.TOO_MANY_REQUESTS, refused.refusal());
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
        assertEquals(0, connector.calls.get(), "the connection was opened for a refused stream");
    }

    private static SubscriberToken tokenExpiringAt(String user, Instant expiresAt) {
        return new SubscriberToken(user, ChannelPatterns.parse("*"), ChannelPatterns.parse(null), expiresAt);
    }

    @Test
    void overTheNodeLimitAStreamIsRefusedBeforeItsConnectionIsOpened() {
        Admission admission = admission(Map.of("connections.max", "2"));
        Connector connector = new Connector();
        admission.open(Caller.ANONYMOUS, List.of("news"), "channels news", connector::get);
        open(admission, BOB, "sport");
        assertEquals(1, connector.calls.get());
        assertEquals(2, admission.count());

        assertRefusedWithoutConnecting(admission, Caller.ANONYMOUS, List.of("news"), "eventstream.connections.max");
        assertRefusedWithoutConnecting(admission, Caller.ANONYMOUS, List.of(), "eventstream.connections.max"); // custom
        assertRefusedWithoutConnecting(admission, ALICE, List.of(), "eventstream.connections.max");
        assertEquals(2, admission.count());
    }

    @Test
    void overTheUserLimitAStreamIsRefusedBeforeItsConnectionIsOpenedWhileOthersAreStillAdmitted() {
        Admission admission = admission(Map.of("connections.max-per-user", "2"));
        open(admission, ALICE, "news");
        admission.open(ALICE, List.of(), "custom stream 'clock'", FakeConnection::new);

        assertRefusedWithoutConnecting(admission, ALICE, List.of("news"), "eventstream.connections.max-per-user");
        assertRefusedWithoutConnecting(admission, ALICE, List.of(), "eventstream.connections.max-per-user");
        // A token's subject is the user too.
        assertRefusedWithoutConnecting(admission, new Caller("alice", tokenExpiringAt("alice", null)), List.of("news"),
                "'alice'");
        open(admission, BOB, "news");
        open(admission, Caller.ANONYMOUS, "news");
        open(admission, Caller.ANONYMOUS, "news");
        open(admission, Caller.ANONYMOUS, "news"); // anonymous streams count only against the node
        assertEquals(6, admission.count());
    }

    @Test
    void aClosedStreamGivesBackItsNodeUserAndAddressSlots() {
        Admission admission = admission(Map.of("connections.max", "3", "connections.max-per-user", "1",
                "connections.max-per-ip", "1"));
        Caller fromAddress = Caller.ANONYMOUS.from("2001:db8:0:0:0:0:0:1");
        SseStream first = open(admission, ALICE, "news");
        SseStream second = open(admission, BOB, "news");
        SseStream third = open(admission, fromAddress, "news");
        assertRefusedWithoutConnecting(admission, Caller.ANONYMOUS, List.of("news"), "eventstream.connections.max");

        first.close();
        assertEquals(2, admission.count());
        assertRefusedWithoutConnecting(admission, fromAddress, List.of("news"), "eventstream.connections.max-per-ip");
        open(admission, ALICE, "news"); // both her slot and the node's came back
        second.closeAfter(SseFrames.streamError(Refusal.FORBIDDEN, "gone"));
        third.closeAfter(SseFrames.streamError(Refusal.FORBIDDEN, "gone"));
        assertEquals(1, admission.count());
        assertEquals(0, admission.countFrom("2001:db8:0:0:0:0:0:1"));
        open(admission, BOB, "news");
        open(admission, fromAddress, "news");
        assertEquals(3, admission.count());
    }

    @Test
    void overTheAddressLimitAnAnonymousStreamIsRefusedWith429WhileOtherAddressesAndUsersGetIn() {
        Admission admission = admission(Map.of("connections.max-per-ip", "2"));
        Caller one = Caller.ANONYMOUS.from("203.0.113.7");
        open(admission, one, "news");
        admission.open(one, List.of(), "custom stream 'clock'", FakeConnection::new); // custom streams count too

        assertRefusedWithoutConnecting(admission, one, List.of("news"), "eventstream.connections.max-per-ip");
        RetryLater refused = assertThrows(RetryLater.class, () -> open(admission, one, "news"));
        assertEquals(10, refused.retryAfterSeconds());
        assertEquals(2, admission.turnedAwayPerAddress());
        assertEquals(0, admission.turnedAway(), "counted as an address refusal, not a node or user one");
        open(admission, Caller.ANONYMOUS.from("203.0.113.8"), "news");
        // A known user is bounded by connections.max-per-user, not by the address it shares.
        open(admission, ALICE.from("203.0.113.7"), "news");
        open(admission, BOB.from("203.0.113.7"), "news");
        assertEquals(2, admission.countFrom("203.0.113.7"));
        assertEquals(5, admission.count());
    }

    @Test
    void aConnectionThatFailsToOpenGivesBackItsAddressSlot() {
        Admission admission = admission(Map.of("connections.max-per-ip", "1"));
        Caller one = Caller.ANONYMOUS.from("203.0.113.7");
        assertThrows(IllegalStateException.class, () -> admission.open(one, List.of("news"), "test", () -> {
            throw new IllegalStateException("the response was already committed");
        }));
        open(admission, one, "news");
        assertEquals(1, admission.countFrom("203.0.113.7"));
    }

    @Test
    void aNodeLimitRefusalTakesNoAddressSlot() {
        Admission admission = admission(Map.of("connections.max", "1", "connections.max-per-ip", "1"));
        SseStream other = open(admission, Caller.ANONYMOUS.from("203.0.113.8"), "news");
        Caller one = Caller.ANONYMOUS.from("203.0.113.7");
        assertRefusedWithoutConnecting(admission, one, List.of("news"), "eventstream.connections.max");
        other.close();
        open(admission, one, "news"); // its address slot was not kept by the refusal
    }

    @Test
    void anAddressLimitOfZeroIsOff() {
        Admission admission = admission(Map.of("connections.max-per-ip", "0"));
        Caller one = Caller.ANONYMOUS.from("203.0.113.7");
        for (int i = 0; i < 150; i++) {
            open(admission, one, "news");
        }
        assertEquals(150, admission.count());
        assertEquals(0, admission.countFrom("203.0.113.7"), "nothing counted per address when the limit is off");
    }

    @Test
    void aBurstOfConcurrentConnectsFromOneAddressAdmitsExactlyTheLimit() throws Exception {
        Admission admission = admission(Map.of("connections.max-per-ip", "25"));
        Caller one = Caller.ANONYMOUS.from("203.0.113.7");
        int threads = 8;
        int attemptsEach = 20;
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> racers = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread racer = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        try {
                            open(admission, one, "news");
                            admitted.incrementAndGet();
                        } catch (RetryLater e) {
                            refused.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            racers.add(racer);
            racer.start();
        }
        start.countDown();
        for (Thread racer : racers) {
            racer.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertEquals(25, admitted.get());
        assertEquals(threads * attemptsEach - 25, refused.get());
        assertEquals(25, admission.countFrom("203.0.113.7"));
        assertEquals(25, admission.count());
    }

    @Test
    void aConnectionThatFailsToOpenGivesBackItsSlots() {
        Admission admission = admission(Map.of("connections.max", "1", "connections.max-per-user", "1"));
        IllegalStateException failure = new IllegalStateException("the response was already committed");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> admission.open(ALICE, List.of("news"), "test", () -> {
            throw failure;
        })));
        assertEquals(0, admission.count());
        open(admission, ALICE, "news");
        assertEquals(1, admission.count());
    }

    @Test
    void aStreamWhoseTokenExpiresGetsStreamErrorUnauthorizedAndCloses() throws Exception {
        Admission admission = admission(Map.of());
        FakeConnection expiring = new FakeConnection();
        SseStream stream = admission.open(new Caller("alice", tokenExpiringAt("alice", NOW.plusMillis(200))), List.of("news"),
                "channels news", () -> expiring);
        SseStream lasting = open(admission, new Caller("bob", tokenExpiringAt("bob", NOW.plusSeconds(3600))), "news");
        SseStream forever = open(admission, new Caller("carol", tokenExpiringAt("carol", null)), "news");
        stream.send(SseFrames.streamOpen(3000, "start"));

        await(() -> expiring.closes.get() == 1);
        assertTrue(stream.isClosed());
        List<ClientEvent> events = ClientEvent.of(expiring);
        assertEquals("stream-open", events.get(0).event());
        assertEquals("stream-error", events.get(events.size() - 1).event());
        assertTrue(events.get(events.size() - 1).data().startsWith("{\"condition\":\"unauthorized\",\"text\":"),
                events.toString());
        assertEquals(2, admission.count());
        assertFalse(lasting.isClosed());
        assertFalse(forever.isClosed());
    }

    @Test
    void aTokenAlreadyExpiredByTheClockEndsTheStreamAtOnce() throws Exception {
        Admission admission = admission(Map.of());
        FakeConnection connection = new FakeConnection();
        SseStream stream = admission.open(new Caller("alice", tokenExpiringAt("alice", NOW.minusSeconds(10))),
                List.of("news"), "channels news", () -> connection);

        await(() -> connection.closes.get() == 1);
        assertTrue(stream.isClosed());
        assertEquals("stream-error", ClientEvent.of(connection).get(0).event());
        assertEquals(0, admission.count());
    }

    @Test
    void aPermissionChangeClosesExactlyTheUsersStreamsThatLostAccess() throws Exception {
        allowed.addAll(Set.of("alice:news", "alice:sport", "alice:weather", "bob:news"));
        Admission admission = admission(Map.of());
        FakeConnection newsAndSport = new FakeConnection();
        SseStream aliceNewsAndSport = admission.open(ALICE, List.of("news", "sport"), "channels news, sport", () -> newsAndSport);
        SseStream aliceSport = open(admission, ALICE, "sport");
        SseStream aliceWeather = open(admission, ALICE, "weather");
        SseStream aliceCustom = admission.open(ALICE, List.of(), "custom stream 'clock'", FakeConnection::new);
        SseStream bobNews = open(admission, BOB, "news");

        allowed.remove("alice:news");
        allowed.remove("alice:weather"); // changed too, but announced only for news: her weather stream stays for now
        admission.permissionChanged(new PermissionChange("alice", "news"));

        assertTrue(aliceNewsAndSport.isClosed());
        assertFalse(aliceSport.isClosed());
        assertFalse(aliceWeather.isClosed());
        assertFalse(aliceCustom.isClosed());
        assertFalse(bobNews.isClosed());
        await(() -> newsAndSport.closes.get() == 1);
        ClientEvent last = ClientEvent.of(newsAndSport).get(0);
        assertEquals("stream-error", last.event());
        assertEquals("{\"condition\":\"forbidden\",\"text\":\"no longer allowed to read news\"}", last.data());
        assertEquals(4, admission.count());

        admission.permissionChanged(new PermissionChange("bob", null)); // nothing changed for bob
        assertFalse(bobNews.isClosed());
        admission.permissionChanged(new PermissionChange("alice", null)); // every channel of hers
        assertTrue(aliceWeather.isClosed());
        assertFalse(aliceSport.isClosed());
        assertFalse(aliceCustom.isClosed());
        assertEquals(3, admission.count());
    }

    /** Collects the admission's INFO lines until the test ends. */
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler logHandler = new Handler() {
        @Override public void publish(LogRecord record) {
            if (record.getLevel() == Level.INFO) {
                logLines.add(record.getMessage());
            }
        }
        @Override public void flush() { }
        @Override public void close() { }
    };

    @BeforeEach
    void listenToTheLog() {
        Logger.getLogger(Admission.class.getName()).addHandler(logHandler);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(Admission.class.getName()).removeHandler(logHandler);
    }

    @Test
    void aStreamThatEndsLogsOneLineWithWhoWhatHowMuchAndWhy() throws Exception {
        Admission admission = admission(Map.of());
        FakeConnection connection = new FakeConnection();
        SseStream stream = admission.open(ALICE, List.of("news", "sport"), "channels news, sport", () -> connection);
        stream.send(SseFrames.streamOpen(3000, "e0"));
        stream.send(SseFrames.of(new ChannelEvent("e1", "news", "message", "{\"n\":1}")));
        stream.send(SseFrames.of(new ChannelEvent("e2", "sport", "goal", "{}")));
        await(() -> connection.received().contains("goal"));
        connection.failing = true;
        stream.send(SseFrames.of(new ChannelEvent("e3", "news", "message", "{}")));

        String line = awaitLine("eventstream: stream ended reason=client-left user=alice ");
        Matcher fields = Pattern.compile("eventstream: stream ended reason=client-left user=alice channels=news,sport"
                + " duration_ms=(\\d+) events=2 bytes=(\\d+)").matcher(line);
        assertTrue(fields.matches(), line);
        assertEquals(connection.received().getBytes(StandardCharsets.UTF_8).length, Long.parseLong(fields.group(2)));
        assertEquals(1, admission.ended(StreamEnd.CLIENT_LEFT));
    }

    @Test
    void aCustomStreamOrAnAnonymousOneSaysSoAndARevokedOneSaysWhy() throws Exception {
        allowed.add("bob:news");
        Admission admission = admission(Map.of());
        SseStream custom = admission.open(Caller.ANONYMOUS, List.of(), "custom stream 'clock'", FakeConnection::new);
        SseStream bob = admission.open(new Caller("bob smith", null), List.of("news"), "channels news", FakeConnection::new);
        assertEquals(1, admission.customCount());
        assertEquals(2, admission.count());
        custom.close();
        awaitLine("eventstream: stream ended reason=closed user=- stream=\"custom stream 'clock'\" duration_ms=");
        assertEquals(0, admission.customCount());

        admission.permissionChanged(new PermissionChange("bob smith", "news"));
        awaitLine("eventstream: stream ended reason=revoked user=\"bob smith\" channels=news ");
        assertTrue(bob.isClosed());
        assertEquals(1, admission.ended(StreamEnd.REVOKED));
    }

    @Test
    void streamsTurnedAwayByALimitAreCounted() {
        Admission admission = admission(Map.of("connections.max", "1"));
        open(admission, ALICE, "news");
        assertThrows(EventStreamException.class, () -> open(admission, BOB, "news"));
        assertThrows(EventStreamException.class, () -> open(admission, BOB, "news"));
        assertEquals(2, admission.turnedAway());
    }

    @Test
    void valuesThatCouldBeMisreadAreQuoted() {
        assertEquals("alice", StreamEndLine.quoted("alice"));
        assertEquals("\"a=b\"", StreamEndLine.quoted("a=b"));
        assertEquals("\"say \\\"hi\\\" \\\\o/\"", StreamEndLine.quoted("say \"hi\" \\o/"));
        assertEquals("\"\"", StreamEndLine.quoted(""));
        assertEquals("\"two lines\"", StreamEndLine.quoted("two\nlines"));
    }

    // The line that starts so. Not by position: the logger is shared, and streams of the test before may still be
    // logging their end (their writers finish after that test's streams were stopped).
    private String awaitLine(String start) throws InterruptedException {
        await(() -> logLines.stream().anyMatch(line -> line.startsWith(start)));
        List<String> matching = logLines.stream().filter(line -> line.startsWith(start)).toList();
        assertEquals(1, matching.size(), "one line per stream: " + matching);
        return matching.get(0);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }
}
