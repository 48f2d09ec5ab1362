package io.eventstream.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.history.EventHistory;
import io.eventstream.core.metrics.Timings;
import io.eventstream.core.stream.ClientEvent;
import io.eventstream.core.stream.FakeConnection;
import io.eventstream.core.stream.SseStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * The hub with streams on fake connections. The writer pool is a queue this test runs by hand, so what a client
 * received is read once the hub is done; one test races subscriptions with deliveries on real threads.
 */
class HubTest {

    private static final List<String> CHANNELS = List.of("a", "b", "c");

    private final Queue<Runnable> writerTasks = new ConcurrentLinkedQueue<>();
    private final Executor writers = writerTasks::add;

    private static Hub hub(Map<String, String> settings) {
        return new Hub(Settings.of(settings), null, Clock.systemUTC());
    }

    /** A client: a stream on a fake connection, as the admission opens it. */
    private record Client(SseStream stream, FakeConnection connection) {
        List<ClientEvent> events() {
            return ClientEvent.of(connection);
        }
    }

    private Client client(List<String> channels) {
        FakeConnection connection = new FakeConnection();
        SseStream stream = new SseStream(connection, writers, 10_000, "channels " + String.join(", ", channels));
        connection.attach(stream);
        return new Client(stream, connection);
    }

    private Client subscribe(Hub hub, String lastEventId, String... channels) {
        Client client = client(List.of(channels));
        hub.subscribe(client.stream(), new ChannelSelection(List.of(channels)), lastEventId);
        return client;
    }

    private void runWriters() {
        Runnable task;
        while ((task = writerTasks.poll()) != null) {
            task.run();
        }
    }

    private static ChannelEvent event(String id, String channel) {
        return new ChannelEvent(id, channel, "message", "{\"id\":\"" + id + "\"}");
    }

    private static String streamReset(String... channels) {
        return "{\"channels\":[" + String.join(",", List.of(channels).stream().map(c -> '"' + c + '"').toList()) + "]}";
    }

    /** The types of the events received, each followed by its id when it has one: {@code stream-open@5, message@6}. */
    private static List<String> seen(Client client) {
        return client.events().stream().map(e -> e.event() + (e.id() == null ? "" : "@" + e.id())).toList();
    }

    /** What a client received after its first event, which must be stream-open. */
    private static List<String> afterStreamOpen(Client client) {
        List<String> seen = seen(client);
        assertTrue(!seen.isEmpty() && seen.get(0).startsWith("stream-open"), "received: " + seen);
        return seen.subList(1, seen.size());
    }

    @Test
    void aNewClientGetsStreamOpenAtTheNewestPositionThenOnlyLiveEventsOfItsChannels() {
        Hub hub = hub(Map.of());
        hub.event(event("1", "a"));
        hub.event(event("2", "b"));
        Client client = subscribe(hub, null, "a");
        hub.event(event("3", "a"));
        hub.event(event("4", "b"));
        runWriters();

        List<ClientEvent> events = client.events();
        assertEquals(new ClientEvent("2", "stream-open", "3000", "{}"), events.get(0));
        assertEquals(List.of(new ClientEvent("3", "message", null, "{\"id\":\"3\"}")), events.subList(1, events.size()));
    }

    @Test
    void aResumingClientGetsWhatItMissedOfItsChannelsInOrderThenLiveEvents() {
        Hub hub = hub(Map.of());
        hub.event(event("1", "a"));
        hub.event(event("2", "b"));
        hub.event(event("3", "c"));
        hub.event(event("4", "a"));
        Client client = subscribe(hub, "1", "a", "b");
        hub.event(event("5", "c"));
        hub.event(event("6", "b"));
        runWriters();

        assertEquals(List.of("stream-open@1", "message@2", "message@4", "message@6"), seen(client));
    }

    @Test
    void aClientThatSawEverythingIsToldTheNewestPositionAndGetsNoReplay() {
        Hub hub = hub(Map.of());
        hub.event(event("1", "a"));
        hub.event(event("2", "b"));
        Client client = subscribe(hub, "1", "a"); // "2" is on another channel: nothing was missed
        runWriters();

        assertEquals(List.of("stream-open@2"), seen(client));
    }

    @Test
    void aPositionOlderThanTheHistoryGetsStreamResetForEveryChannelThenLiveEvents() {
        Hub hub = hub(Map.of("history.size", "2"));
        for (int i = 1; i <= 4; i++) {
            hub.event(event(Integer.toString(i), "a"));
        }
        Client tooOld = subscribe(hub, "1", "a", "b");
        Client unknown = subscribe(hub, "never-published", "b");
        hub.event(event("5", "a"));
        runWriters();

        assertEquals(List.of("stream-open@1", "stream-reset", "message@5"), seen(tooOld));
        assertEquals(streamReset("a", "b"), tooOld.events().get(1).data());
        assertEquals(List.of("stream-open@never-published", "stream-reset"), seen(unknown));
        assertEquals(streamReset("b"), unknown.events().get(1).data());
    }

    @Test
    void onlyTheChannelThatLostEventsAfterThePositionIsResetTheOthersReplay() {
        Hub hub = hub(Map.of("history.size", "2"));
        hub.event(event("1", "b"));
        hub.event(event("2", "a"));
        hub.event(event("3", "a"));
        hub.event(event("4", "a")); // evicts "2": channel a lost an event after "1"
        hub.event(event("5", "b"));
        Client client = subscribe(hub, "1", "a", "b");
        runWriters();

        assertEquals(List.of("stream-open@1", "stream-reset", "message@5"), seen(client));
        assertEquals(streamReset("a"), client.events().get(1).data());
    }

    @Test
    void aPatternSubscriberGetsEveryMatchingChannelsEventsOldAndNewChannelsAlikeInOrderAndNothingElse() {
        Hub hub = hub(Map.of());
        Client pattern = subscribe(hub, null, "user/alice/*");
        Client named = subscribe(hub, null, "user/alice/inbox");
        Client both = subscribe(hub, null, "news", "user/*");
        hub.event(event("1", "user/alice/inbox"));
        hub.event(event("2", "user/alice")); // not below user/alice/
        hub.event(event("3", "user/alice/inbox/urgent"));
        hub.event(event("4", "user/bob/inbox"));
        hub.event(event("5", "news"));
        hub.event(event("6", "user/alice/never-seen-before"));
        runWriters();

        assertEquals(List.of("message@1", "message@3", "message@6"), afterStreamOpen(pattern));
        assertEquals(List.of("message@1"), afterStreamOpen(named));
        assertEquals(List.of("message@1", "message@2", "message@3", "message@4", "message@5", "message@6"), afterStreamOpen(both));
        assertEquals(2, hub.patternSubscriptionCount());
        assertEquals(Map.of("user/alice/inbox", 1, "news", 1), hub.subscriberCounts(), "presence counts named channels");
    }

    @Test
    void aResumeOverAPatternReplaysEveryMatchingChannelExactlyOnceInOrderThenGoesLive() {
        Hub hub = hub(Map.of("history.size", "2"));
        hub.event(event("1", "room/a"));
        hub.event(event("2", "room/b"));
        hub.event(event("3", "lobby"));
        hub.event(event("4", "room/c"));
        hub.event(event("5", "room/a"));
        Client resumed = subscribe(hub, "2", "room/*");
        hub.event(event("6", "room/new"));
        hub.event(event("7", "lobby"));
        runWriters();

        assertEquals(List.of("stream-open@2", "message@4", "message@5", "message@6"), seen(resumed));
    }

    @Test
    void aPatternResumeResetsOnlyTheMatchingChannelThatLostEventsAndAnUnknownPositionResetsThePattern() {
        Hub hub = hub(Map.of("history.size", "2"));
        hub.event(event("1", "room/b"));
        hub.event(event("2", "room/a"));
        hub.event(event("3", "room/a"));
        hub.event(event("4", "room/a")); // evicts "2": room/a lost an event after "1"
        hub.event(event("5", "room/b"));
        Client resumed = subscribe(hub, "1", "room/*", "lobby");
        Client unknown = subscribe(hub, "2", "room/*");
        runWriters();

        assertEquals(List.of("stream-open@1", "stream-reset", "message@5"), seen(resumed));
        assertEquals(streamReset("room/a"), resumed.events().get(1).data());
        assertEquals(List.of("stream-open@2", "stream-reset"), seen(unknown));
        assertEquals(streamReset("room/*"), unknown.events().get(1).data(), "its position is gone: the whole subscription");
    }

    @Test
    void aClosedPatternStreamGetsNoMoreEvents() {
        Hub hub = hub(Map.of());
        Client first = subscribe(hub, null, "room/*");
        Client second = subscribe(hub, null, "room/*");
        runWriters();
        first.stream().close(io.eventstream.core.stream.StreamEnd.CLIENT_LEFT);
        hub.event(event("1", "room/a"));
        runWriters();
        assertEquals(List.of(), afterStreamOpen(first));
        assertEquals(List.of("message@1"), afterStreamOpen(second));
        second.stream().close(io.eventstream.core.stream.StreamEnd.CLIENT_LEFT);
        assertEquals(0, hub.patternSubscriptionCount());
    }

    @Test
    void missedResetsEveryOpenStreamsChannelsAndNoEarlierPositionResumes() {
        Hub hub = hub(Map.of());
        Client ab = subscribe(hub, null, "a", "b");
        Client c = subscribe(hub, null, "c");
        Client left = subscribe(hub, null, "a");
        hub.event(event("1", "a"));
        runWriters();
        left.stream().close();

        hub.missed(); // the broker link was lost and is back
        hub.event(event("2", "a"));
        runWriters();

        assertEquals(List.of("message@1", "stream-reset", "message@2"), afterStreamOpen(ab));
        assertEquals(streamReset("a", "b"), ab.events().get(2).data());
        assertEquals(List.of("stream-reset"), afterStreamOpen(c));
        assertEquals(streamReset("c"), c.events().get(1).data());
        assertEquals(List.of("message@1"), afterStreamOpen(left), "a stream closed before missed() is not reset");

        Client fromBeforeTheGap = subscribe(hub, "1", "a");
        Client fromAfterTheGap = subscribe(hub, "2", "a");
        runWriters();
        assertEquals(List.of("stream-open@1", "stream-reset"), seen(fromBeforeTheGap));
        assertEquals(streamReset("a"), fromBeforeTheGap.events().get(1).data());
        assertEquals(List.of("stream-open@2"), seen(fromAfterTheGap));
    }

    @Test
    void aClosedStreamLeavesItsChannelsAndGetsNoMoreEvents() {
        Hub hub = hub(Map.of());
        Client ab = subscribe(hub, null, "a", "b");
        Client b = subscribe(hub, null, "b");
        runWriters();
        assertEquals(2, hub.channelCount());
        assertEquals(3, hub.subscriptionCount());

        ab.stream().close();
        assertEquals(1, hub.channelCount());
        assertEquals(1, hub.subscriptionCount());
        hub.event(event("1", "b"));
        b.stream().close();
        assertEquals(0, hub.channelCount());
        assertEquals(0, hub.subscriptionCount());
        runWriters();
        assertEquals(List.of(), afterStreamOpen(ab));

        Client again = subscribe(hub, null, "b"); // the channel's broadcaster was released: a new one serves it
        hub.event(event("2", "b"));
        runWriters();
        assertEquals(List.of("stream-open@1", "message@2"), seen(again));
        assertEquals(1, hub.subscriptionCount());
    }

    /** A stream subscribed during the race: where it resumed from, and how many events were out before and after. */
    private record Subscribed(Client client, List<String> channels, String lastEventId, int before, int after) {
    }

    @Test
    void everyStreamGetsEveryEventAfterItsPositionExactlyOnceAndInOrderWhileSubscriptionsRaceWithDeliveries()
            throws Exception {
        int rounds = 200;
        int events = 200;
        int subscribers = 2;
        int streamsPerSubscriber = 10; // 4,000 subscriptions in all, each at a random moment of a round
        int total = subscribers * streamsPerSubscriber;
        ExecutorService threads = Executors.newFixedThreadPool(1 + subscribers);
        int raced = 0;
        int resumed = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                Hub hub = hub(Map.of());
                // What the publisher handed to the hub, in order; out counts those whose hub.event() has returned.
                AtomicReferenceArray<ChannelEvent> published = new AtomicReferenceArray<>(events);
                AtomicInteger out = new AtomicInteger();
                AtomicInteger subscribing = new AtomicInteger(); // subscriptions begun
                List<Subscribed> subscribed = new CopyOnWriteArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                String prefix = round + "-";
                List<Future<?>> running = new ArrayList<>();
                running.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < events; i++) {
                        while (i * total > (subscribing.get() + 2) * events) {
                            Thread.yield(); // ahead of the subscribers: let them catch up
                        }
                        ChannelEvent event = event(prefix + i, CHANNELS.get(ThreadLocalRandom.current().nextInt(CHANNELS.size())));
                        hub.event(event);
                        published.set(i, event);
                        out.set(i + 1); // after: a client can only have seen an event the hub delivered
                        spin(100);
                    }
                    return null;
                }));
                for (int s = 0; s < subscribers; s++) {
                    running.add(threads.submit(() -> {
                        go.await();
                        for (int i = 0; i < streamsPerSubscriber; i++) {
                            // Publisher and subscribers keep pace with each other (neither more than a step ahead),
                            // so that on any number of cores subscriptions come all through the publisher's run.
                            while (subscribing.get() * events > (out.get() + 5) * total) {
                                Thread.yield();
                            }
                            subscribing.incrementAndGet();
                            spin(200);
                            List<String> channels = someChannels();
                            int seen = out.get();
                            // A client resumes from an id it saw (one of the latest), or connects for the first time.
                            String lastEventId = seen == 0 || ThreadLocalRandom.current().nextInt(3) == 0 ? null
                                    : published.get(Math.max(0, seen - 1 - ThreadLocalRandom.current().nextInt(5))).id();
                            Client client = client(channels);
                            int before = out.get();
                            hub.subscribe(client.stream(), new ChannelSelection(channels), lastEventId);
                            subscribed.add(new Subscribed(client, channels, lastEventId, before, out.get()));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> task : running) {
                    task.get(30, TimeUnit.SECONDS);
                }
                runWriters();

                for (Subscribed stream : subscribed) {
                    check(stream, published);
                    if (stream.before() > 0 && stream.after() < events) {
                        raced++; // subscribed while the publisher was running
                    }
                    if (stream.lastEventId() != null) {
                        resumed++;
                    }
                    stream.client().stream().close();
                }
                assertEquals(0, hub.channelCount(), "channels left behind by closed streams");
                assertEquals(0, hub.subscriptionCount(), "subscriptions left behind by closed streams");
            }
        } finally {
            threads.shutdownNow();
        }
        int streams = rounds * total;
        // The test proves something only if events really went out while streams subscribed.
        assertTrue(raced > streams / 2, "only " + raced + " of " + streams + " subscriptions came while events went out");
        assertTrue(resumed > streams / 2, "only " + resumed + " of " + streams + " streams resumed");
    }

    /** stream-open first, then exactly the events of its channels published after its position, in publish order. */
    private static void check(Subscribed stream, AtomicReferenceArray<ChannelEvent> published) {
        List<ClientEvent> events = stream.client().events();
        String what = "stream on " + stream.channels() + " from " + stream.lastEventId() + " (subscribed when "
                + stream.before() + ".." + stream.after() + " events were out): " + events;
        assertTrue(!events.isEmpty() && "stream-open".equals(events.get(0).event()), what);
        assertEquals("3000", events.get(0).retry(), what);
        // A new client's position is the one stream-open gives it; a resuming client's, the id it resumed from.
        String position = stream.lastEventId() != null ? stream.lastEventId() : events.get(0).id();
        assertNotNull(position, what);
        int from = -1; // the start position: before every event
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < published.length(); i++) {
            ChannelEvent event = published.get(i);
            if (event.id().equals(position)) {
                from = i;
                expected.clear();
            } else if (stream.channels().contains(event.channel())) {
                expected.add(event.id());
            }
        }
        assertTrue(from >= 0 || position.equals(EventHistory.LOG_START), "unknown position in " + what);
        List<String> received = new ArrayList<>();
        for (ClientEvent event : events.subList(1, events.size())) {
            assertEquals("message", event.event(), what); // no stream-reset: nothing was evicted
            received.add(event.id());
        }
        assertEquals(expected, received, what);
    }

    private static List<String> someChannels() {
        List<String> channels = new ArrayList<>();
        while (channels.isEmpty()) {
            for (String channel : CHANNELS) {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    channels.add(channel);
                }
            }
        }
        return channels;
    }

    // A random pause without sleeping: spreads the threads' work over each other's.
    private static void spin(int atMost) {
        for (int i = ThreadLocalRandom.current().nextInt(atMost); i > 0; i--) {
            Thread.onSpinWait();
        }
    }

    private static List<LoggedEvent> logged(long publishedAt, String channel, String... ids) {
        return List.of(ids).stream().map(id -> new LoggedEvent(event(id, channel), publishedAt)).toList();
    }

    @Test
    void atStartTheWholeLogIsTakenInAndResumesFromAnyLoggedEventAreExact() {
        Hub hub = hub(Map.of());
        List<LoggedEvent> log = new ArrayList<>(logged(System.currentTimeMillis(), "a", "1", "2"));
        log.addAll(logged(System.currentTimeMillis(), "b", "3"));
        log.addAll(logged(System.currentTimeMillis(), "a", "4"));

        assertEquals(4, hub.recover(log));
        Client resumed = subscribe(hub, "1", "a", "b");
        Client fresh = subscribe(hub, null, "a");
        runWriters();
        assertEquals(List.of("stream-open@1", "message@2", "message@3", "message@4"), seen(resumed));
        assertEquals(List.of("stream-open@4"), seen(fresh), "a new client starts after the newest logged event");
        assertEquals(4, hub.retained());
    }

    @Test
    void anEventTheTopicOrTheLogRepeatsReachesNoClientTwiceAndNoResumeRepeatsIt() {
        Hub hub = hub(Map.of());
        Client open = subscribe(hub, null, "a");
        hub.event(event("1", "a"));
        hub.event(event("2", "a"));
        hub.event(event("1", "a")); // a repeat, live
        assertEquals(2, hub.recover(logged(System.currentTimeMillis(), "a", "1", "2", "3", "3", "4"))); // 3 twice in the log
        hub.event(event("5", "a"));
        runWriters();

        assertEquals(List.of("message@1", "message@2", "message@3", "message@4", "message@5"), afterStreamOpen(open));
        Client resumed = subscribe(hub, "1", "a");
        runWriters();
        assertEquals(List.of("stream-open@1", "message@2", "message@3", "message@4", "message@5"), seen(resumed));
        assertEquals(5, hub.retained());
    }

    @Test
    void afterAReLinkWhatTheLogHoldsBeyondTheNewestEventReceivedGoesLiveToOpenStreamsWithoutReset() {
        Hub hub = hub(Map.of());
        Client open = subscribe(hub, null, "a");
        hub.event(event("1", "a"));
        hub.event(event("2", "a"));

        // The link was lost while 3 and 4 were published; the log holds them after 2.
        assertEquals(2, hub.recover(logged(System.currentTimeMillis(), "a", "1", "2", "3", "4")));
        hub.event(event("5", "a"));
        runWriters();
        assertEquals(List.of("message@1", "message@2", "message@3", "message@4", "message@5"), afterStreamOpen(open));
        Client resumed = subscribe(hub, "2", "a");
        runWriters();
        assertEquals(List.of("stream-open@2", "message@3", "message@4", "message@5"), seen(resumed));
    }

    @Test
    void whenTheLogNoLongerHoldsTheNewestEventReceivedOpenStreamsAreResetAndOnlyLaterPositionsResume() {
        Hub hub = hub(Map.of());
        Client open = subscribe(hub, null, "a");
        hub.event(event("1", "a"));

        // While the node was away the ring pushed event 1 out: 2 may have been lost.
        assertEquals(2, hub.recover(logged(System.currentTimeMillis(), "a", "3", "4")));
        runWriters();
        assertEquals(List.of("message@1", "stream-reset", "message@3", "message@4"), afterStreamOpen(open));
        Client fromBeforeTheGap = subscribe(hub, "1", "a");
        Client fromTheLog = subscribe(hub, "3", "a");
        runWriters();
        assertEquals(List.of("stream-open@1", "stream-reset"), seen(fromBeforeTheGap));
        assertEquals(List.of("stream-open@3", "message@4"), seen(fromTheLog));
    }

    @Test
    void whileCatchingUpAResumeFromAnEventNotReceivedYetWaitsForItThenResumesExactlyWithoutReset() {
        Hub hub = hub(Map.of());
        hub.recover(logged(System.currentTimeMillis(), "a", "1", "2"));
        assertTrue(hub.catchingUp().isPresent(), "not ready until the link has delivered what was queued meanwhile");

        // Clients that got events 4 and 5 from another node arrive before this node has them.
        Client fromFour = subscribe(hub, "4", "a");
        Client fromFive = subscribe(hub, "5", "a", "b");
        Client fromTwo = subscribe(hub, "2", "a");
        Client unknown = subscribe(hub, "never-published", "a");
        Client leftEarly = subscribe(hub, "4", "a");
        leftEarly.stream().close();
        runWriters();
        assertEquals(List.of(), seen(fromFour), "waits: nothing sent, no stream-reset");
        assertEquals(List.of(), seen(unknown));
        assertTrue(hub.catchingUp().orElseThrow().contains("3 resuming streams wait"), hub.catchingUp().orElseThrow());

        hub.event(event("3", "a")); // the live messages queued while the log was read
        hub.event(event("4", "a"));
        hub.event(event("5", "b"));
        hub.caughtUp();
        hub.event(event("6", "a"));
        runWriters();

        assertEquals(List.of("stream-open@5", "message@6"), seen(fromFour), "5 was on channel b: nothing to replay");
        assertEquals(List.of("stream-open@5", "message@6"), seen(fromFive));
        assertEquals(List.of("stream-open@2", "message@3", "message@4", "message@6"), seen(fromTwo),
                "a known position resumed at once and went on live");
        assertEquals(List.of("stream-open@never-published", "stream-reset", "message@6"), seen(unknown),
                "once caught up, a position this node does not hold is reset as always");
        assertEquals(List.of(), seen(leftEarly));
        assertEquals(4, hub.subscribers("a"), "the stream that closed while waiting joined nothing");
        assertEquals(4, hub.waitedResumes(), "from four, from five, never-published and the one that left");
        assertTrue(hub.catchingUp().isEmpty());
        assertEquals(1, hub.resets());
    }

    @Test
    void beforeItsFirstCatchUpANodeHoldsNewClientsUntilCaughtUpSoNoneGetsTheLogLiveButAClientAtTheLogsStartDoes() {
        Hub hub = hub(Map.of());
        hub.fallingBehind(); // the broker is not reached yet
        Client fresh = subscribe(hub, null, "a");
        Client fromTheStart = subscribe(hub, EventHistory.LOG_START, "a");
        runWriters();
        assertEquals(List.of(), seen(fresh));

        hub.recover(logged(System.currentTimeMillis(), "a", "1", "2"));
        hub.caughtUp();
        hub.event(event("3", "a"));
        runWriters();
        assertEquals(List.of("stream-open@2", "message@3"), seen(fresh), "a new client starts after the log");
        assertEquals(List.of("stream-open@" + EventHistory.LOG_START, "message@1", "message@2", "message@3"), seen(fromTheStart));
    }

    @Test
    void aLostLinkPutsTheNodeBehindUntilItsNextCatchUpMeanwhileOnlyResumesItCannotServeWait() {
        Hub hub = hub(Map.of());
        hub.recover(List.of());
        hub.caughtUp();
        hub.event(event("1", "a"));
        hub.event(event("2", "a"));

        hub.fallingBehind(); // the link is lost; the other node goes on publishing 3 and 4
        assertTrue(hub.catchingUp().isPresent());
        Client fromThree = subscribe(hub, "3", "a");
        Client fromOne = subscribe(hub, "1", "a");
        Client fresh = subscribe(hub, null, "a");
        runWriters();
        assertEquals(List.of(), seen(fromThree));
        assertEquals(List.of("stream-open@1", "message@2"), seen(fromOne));
        assertEquals(List.of("stream-open@2"), seen(fresh));

        hub.recover(logged(System.currentTimeMillis(), "a", "1", "2", "3", "4"));
        hub.caughtUp();
        runWriters();
        assertEquals(List.of("stream-open@3", "message@4"), seen(fromThree));
        assertEquals(List.of("stream-open@1", "message@2", "message@3", "message@4"), seen(fromOne));
        assertEquals(0, hub.resets());
    }

    /** A topic that records the markers sent, or refuses them. */
    private static final class MarkerTopic implements TopicMarkers {
        final List<String> markers = new ArrayList<>();
        boolean refuse;

        @Override
        public CompletionStage<Void> mark(String token) {
            markers.add(token);
            return refuse ? CompletableFuture.failedFuture(new IllegalStateException("link lost")) : CompletableFuture.completedFuture(null);
        }
    }

    @Test
    void aResumeFromAnEventAnotherNodeDeliveredFirstWaitsForThisNodesMarkerAndIsExact() {
        Hub hub = hub(Map.of());
        MarkerTopic topic = new MarkerTopic();
        hub.markers = topic;
        hub.event(event("1", "a"));
        hub.event(event("2", "a"));

        // The other node's listener is ahead: the client got 3 there before this node did.
        Client fromThree = subscribe(hub, "3", "a");
        Client fromNowhere = subscribe(hub, "never-published", "a");
        runWriters();
        assertEquals(List.of(), seen(fromThree));
        assertEquals(2, topic.markers.size());
        hub.event(event("3", "a"));
        hub.marked("another-node:1"); // another node's marker: not ours
        runWriters();
        assertEquals(List.of(), seen(fromThree));

        hub.marked(topic.markers.get(1)); // the later marker frees both: each was waiting before it was sent
        hub.event(event("4", "a"));
        runWriters();
        assertEquals(List.of("stream-open@3", "message@4"), seen(fromThree));
        assertEquals(List.of("stream-open@never-published", "stream-reset", "message@4"), seen(fromNowhere),
                "once the marker is back, a position the node does not hold is one it will never hold");

        topic.refuse = true;
        Client whileUnlinked = subscribe(hub, "5", "a");
        runWriters();
        assertEquals(List.of("stream-open@5", "stream-reset"), seen(whileUnlinked), "no marker: answered at once");
        Client known = subscribe(hub, "2", "a");
        runWriters();
        assertEquals(List.of("stream-open@2", "message@3", "message@4"), seen(known), "a position held never waits");
        assertEquals(3, topic.markers.size());
        assertEquals(3, hub.waitedResumes());
    }

    @Test
    void loggedEventsAgeFromTheirPublicationNotFromTheirLoading() {
        Hub hub = hub(Map.of("eventstream.history.max-age", "PT1H"));
        long now = System.currentTimeMillis();
        List<LoggedEvent> log = new ArrayList<>(logged(now - 7_200_000, "a", "1", "2"));
        log.addAll(logged(now - 60_000, "a", "3", "4"));
        hub.recover(log);
        hub.caughtUp();

        Client tooOld = subscribe(hub, "1", "a");
        Client recent = subscribe(hub, "3", "a");
        runWriters();
        assertEquals(List.of("stream-open@1", "stream-reset"), seen(tooOld));
        assertEquals(List.of("stream-open@3", "message@4"), seen(recent));
        assertEquals(2, hub.retained());
    }

    @Test
    void aClientThatSawNoEventYetResumesAfterARestartFromTheLogWithoutReset() {
        Hub before = hub(Map.of());
        Client early = subscribe(before, null, "a");
        runWriters();
        String position = early.events().get(0).id(); // stream-open on a node that has received nothing

        // The node restarts; meanwhile 1 and 2 were published (the log holds them).
        Hub after = hub(Map.of());
        after.recover(logged(System.currentTimeMillis(), "a", "1", "2"));
        Client resumed = subscribe(after, position, "a");
        runWriters();
        assertEquals(List.of("stream-open@" + position, "message@1", "message@2"), seen(resumed));
    }

    @Test
    void aFullLogHasLostEarlierEventsSoAClientAtTheStartIsReset() {
        Hub hub = hub(Map.of("eventstream.history.total", "2"));
        Client early = subscribe(hub, null, "a");
        runWriters();
        String position = early.events().get(0).id();
        Hub restarted = hub(Map.of("eventstream.history.total", "2"));
        restarted.recover(logged(System.currentTimeMillis(), "a", "2", "3")); // 1 was pushed out of the ring
        Client resumed = subscribe(restarted, position, "a");
        runWriters();
        assertEquals(List.of("stream-open@" + position, "stream-reset"), seen(resumed));
    }

    @Test
    void countsWhatItReceivesAndTheResetsItSendsAndTimesEachLiveEventOnceWhateverItsSubscribers() {
        Hub hub = hub(Map.of());
        List<Long> lags = new ArrayList<>();
        hub.timings = new Timings() {
            @Override public void publishConfirmed(long nanos) { }
            @Override public void deliveryLag(long millis) { lags.add(millis); }
        };
        subscribe(hub, null, "a");
        subscribe(hub, null, "a");
        long publishedAt = System.currentTimeMillis() - 250;
        hub.event(event("1", "a"), publishedAt);
        hub.event(event("2", "a")); // no broker timestamp: not timed
        hub.recover(List.of(new LoggedEvent(event("2", "a"), publishedAt), new LoggedEvent(event("3", "a"), publishedAt)));
        assertEquals(3, hub.received()); // live, then what the log held beyond "2"
        assertEquals(1, lags.size());
        assertTrue(lags.get(0) >= 250 && lags.get(0) < 60_000, "lag " + lags);

        hub.caughtUp();
        subscribe(hub, "never-published", "a");
        assertEquals(1, hub.resets());
        hub.missed();
        assertEquals(4, hub.resets()); // one per open stream
    }
}
