package io.eventstream.adapter.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.Channels;
import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.publish.EventPublisher;
import io.eventstream.core.publish.Outbound;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.SseStreamsFixture;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Channels} on a real hub, admission and writer pool, outside CDI, with sinks as a container gives them: the
 * topic is played by the test (its events go to the hub as the node's listener hands them over), and what reached a
 * sink is waited for within a bound. That nothing else arrived is shown by an event sent after, which must come next.
 */
class ChannelsTest {

    private SseStreams streams;
    private Hub hub;
    private Admission admission;
    private final LoopbackTopic topic = new LoopbackTopic();
    private final AtomicInteger published = new AtomicInteger();

    @AfterEach
    void stopStreams() {
        if (streams != null) {
            SseStreamsFixture.stop(streams);
        }
    }

    private Channels channels(Map<String, String> overrides) {
        Settings settings = Settings.of(overrides);
        streams = SseStreamsFixture.start(settings);
        admission = new Admission(settings, streams, new AccessPolicy(settings, List.of(), Clock.systemUTC()), Clock.systemUTC());
        hub = new Hub(settings, admission, Clock.systemUTC());
        return new HubChannels(hub, admission, settings, new EventPublisher(topic, settings, Runnable::run));
    }

    /** The broker's topic, looped back to this node's hub as its listener would hand each event over. */
    private final class LoopbackTopic implements Outbound {
        final List<ChannelEvent> sent = new CopyOnWriteArrayList<>();

        @Override
        public synchronized CompletionStage<Void> send(List<ChannelEvent> events) {
            sent.addAll(events);
            events.forEach(hub::event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void send(PermissionChange change) {
        }

        @Override
        public CompletionStage<Void> announce(String report) {
            return CompletableFuture.completedFuture(null); // one node: nobody to tell
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }

        @Override
        public Optional<String> eventLog() {
            return Optional.empty();
        }

        @Override
        public String broker() {
            return "loopback";
        }
    }

    /** An event from the topic, as published by some node: id {@code e<n>}, data {@code <n>}. */
    private String publish(String channel) {
        int n = published.incrementAndGet();
        hub.event(new ChannelEvent("e" + n, channel, "tick", Integer.toString(n)));
        return "e" + n;
    }

    private static String tick(String id) {
        return "tick@" + id + ":" + id.substring(1);
    }

    /** An event an application builds, as {@code Sse.newEventBuilder()} would. */
    private record AppEvent(String getId, String getName, Object getData) implements OutboundSseEvent {
        @Override
        public Class<?> getType() {
            return getData.getClass();
        }

        @Override
        public Type getGenericType() {
            return getType();
        }

        @Override
        public MediaType getMediaType() {
            return MediaType.APPLICATION_JSON_TYPE;
        }

        @Override
        public String getComment() {
            return null;
        }

        @Override
        public long getReconnectDelay() {
            return RECONNECT_NOT_SET;
        }

        @Override
        public boolean isReconnectDelaySet() {
            return false;
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }

    @Test
    void everyEventOfTheChannelReachesEverySinkWithItsIdNameAndDataInOrderAndStreamOpenNever() throws Exception {
        Channels channels = channels(Map.of());
        RecordingSink one = new RecordingSink();
        RecordingSink two = new RecordingSink();
        publish("prices"); // before: not sent to sinks that register for live events
        channels.broadcaster("prices").register(one);
        channels.broadcaster("prices").register(two);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(publish("prices"));
            publish("news");
        }

        for (RecordingSink sink : List.of(one, two)) {
            for (String id : ids) {
                assertEquals(tick(id), sink.nextSeen()); // the first thing sent is the first event: no stream-open
            }
            assertEquals(50, sink.sent.size(), "nothing else was sent");
        }
    }

    @Test
    void aSinkIsRegisteredOnceHoweverOftenItIsRegistered() throws Exception {
        Channels channels = channels(Map.of());
        RecordingSink sink = new RecordingSink();
        channels.broadcaster("prices").register(sink);
        channels.broadcaster("prices").register(sink);
        channels.register("prices", sink, null);
        String first = publish("prices");
        String second = publish("prices");

        assertEquals(tick(first), sink.nextSeen());
        assertEquals(tick(second), sink.nextSeen());
        assertEquals(1, admission.count());
    }

    @ParameterizedTest
    @EnumSource(value = RecordingSink.Answer.class, names = {"COMPLETED_WITH_EXCEPTION", "FAILED_STAGE", "THROWS"})
    void aFailingSinkIsDroppedAndReportedToOnErrorAndOnCloseWhileTheOthersKeepReceiving(RecordingSink.Answer failing)
            throws Exception {
        Channels channels = channels(Map.of());
        SseBroadcaster broadcaster = channels.broadcaster("prices");
        List<SseEventSink> errored = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<SseEventSink> closed = new CopyOnWriteArrayList<>();
        broadcaster.onError((sink, error) -> {
            errored.add(sink);
            errors.add(error);
        });
        broadcaster.onClose(closed::add);
        RecordingSink failingSink = new RecordingSink();
        failingSink.answer = failing;
        RecordingSink healthy = new RecordingSink();
        broadcaster.register(failingSink);
        broadcaster.register(healthy);
        String first = publish("prices");
        String second = publish("prices");

        assertEquals(tick(first), healthy.nextSeen());
        assertEquals(tick(second), healthy.nextSeen());
        await(() -> failingSink.closes.get() == 1 && closed.size() == 1);
        assertEquals(List.of(failingSink), errored);
        assertEquals(1, errors.size());
        assertEquals(List.of(failingSink), closed);
        assertEquals(1, failingSink.sent.size(), "nothing is sent after a failed send");
        assertEquals(1, admission.count(), "the dropped sink's stream is released");
    }

    @Test
    void aSinkTheClientClosedIsDroppedAndReportedToOnCloseOnly() throws Exception {
        Channels channels = channels(Map.of());
        SseBroadcaster broadcaster = channels.broadcaster("prices");
        List<SseEventSink> closed = new CopyOnWriteArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        broadcaster.onClose(closed::add);
        broadcaster.onError((sink, error) -> errors.incrementAndGet());
        RecordingSink sink = new RecordingSink();
        broadcaster.register(sink);
        sink.closed = true;
        publish("prices");

        await(() -> closed.size() == 1);
        assertEquals(List.of(sink), closed);
        assertEquals(0, errors.get());
        assertEquals(0, admission.count());
    }

    @Test
    void closeClosesEverySinkReportsThemToOnCloseAndEveryOtherMethodThenThrows() throws Exception {
        Channels channels = channels(Map.of());
        SseBroadcaster broadcaster = channels.broadcaster("prices");
        List<SseEventSink> closed = new CopyOnWriteArrayList<>();
        broadcaster.onClose(closed::add);
        RecordingSink one = new RecordingSink();
        RecordingSink two = new RecordingSink();
        broadcaster.register(one);
        broadcaster.register(two);

        broadcaster.close();
        broadcaster.close(); // a second close does nothing
        broadcaster.close(false);

        await(() -> one.closes.get() == 1 && two.closes.get() == 1 && closed.size() == 2);
        assertEquals(0, admission.count());
        RecordingSink late = new RecordingSink();
        assertThrows(IllegalStateException.class, () -> broadcaster.register(late));
        assertThrows(IllegalStateException.class, () -> broadcaster.onClose(sink -> { }));
        assertThrows(IllegalStateException.class, () -> broadcaster.onError((sink, error) -> { }));
        assertThrows(IllegalStateException.class, () -> broadcaster.broadcast(new AppEvent(null, null, "x")));
        assertEquals(List.of(), late.sent);
        assertEquals(List.of(), topic.sent);
        assertEquals(1, one.closes.get());
    }

    @Test
    void closingWithoutCascadingLeavesTheSinksOpenAndSendsThemNothingMore() throws Exception {
        Channels channels = channels(Map.of());
        SseBroadcaster broadcaster = channels.broadcaster("prices");
        List<SseEventSink> closed = new CopyOnWriteArrayList<>();
        broadcaster.onClose(closed::add);
        RecordingSink sink = new RecordingSink();
        broadcaster.register(sink);
        String before = publish("prices");
        assertEquals(tick(before), sink.nextSeen());

        broadcaster.close(false);
        await(() -> admission.count() == 0);
        RecordingSink marker = new RecordingSink();
        channels.broadcaster("prices").register(marker);
        String after = publish("prices");

        assertEquals(tick(after), marker.nextSeen());
        assertEquals(1, sink.sent.size(), "the released sink got nothing more");
        assertFalse(sink.isClosed());
        assertEquals(0, sink.closes.get());
        assertEquals(List.of(), closed);
    }

    @Test
    void aChannelHasOneBroadcasterUntilItIsClosedThenANewOne() {
        Channels channels = channels(Map.of());
        SseBroadcaster prices = channels.broadcaster("prices");
        assertSame(prices, channels.broadcaster("prices"));
        assertNotSame(prices, channels.broadcaster("news"));

        prices.close();
        SseBroadcaster fresh = channels.broadcaster("prices");
        assertNotSame(prices, fresh);
        assertSame(fresh, channels.broadcaster("prices"));
        fresh.register(new RecordingSink());
        assertEquals(1, admission.count());
    }

    @Test
    void aBadChannelNameOrLastEventIdIsRefusedBeforeAnythingOpens() {
        Channels channels = channels(Map.of());
        RecordingSink sink = new RecordingSink();
        for (String bad : new String[] {null, "", "no spaces", "/leading"}) {
            EventStreamException refused = assertThrows(EventStreamException.class, () -> channels.broadcaster(bad));
            assertEquals(Refusal.BAD_REQUEST, refused.refusal());
            assertEquals(Refusal.BAD_REQUEST,
                    assertThrows(EventStreamException.class, () -> channels.register(bad, sink, null)).refusal());
        }
        EventStreamException badId = assertThrows(EventStreamException.class,
                () -> channels.register("prices", sink, "not an id\n"));
        assertEquals(Refusal.BAD_REQUEST, badId.refusal());
        assertEquals(0, admission.count());
        assertEquals(List.of(), sink.sent);
        assertEquals(0, sink.closes.get());
    }

    @Test
    void connectionsMaxBoundsSinksAndARefusedSinkIsLeftUntouched() {
        Channels channels = channels(Map.of("connections.max", "1"));
        channels.broadcaster("prices").register(new RecordingSink());
        RecordingSink refused = new RecordingSink();

        EventStreamException full = assertThrows(EventStreamException.class,
                () -> channels.broadcaster("prices").register(refused));
        assertEquals(Refusal.TOO_MANY_REQUESTS, full.refusal());
        assertEquals(0, refused.closes.get());
        assertEquals(List.of(), refused.sent);
    }

    @Test
    void aResumingSinkGetsExactlyTheEventsAfterItsIdThenLiveOnes() throws Exception {
        Channels channels = channels(Map.of());
        String seen = publish("prices");
        String missed1 = publish("prices");
        publish("news");
        String missed2 = publish("prices");
        RecordingSink sink = new RecordingSink();

        channels.register("prices", sink, seen);
        String live = publish("prices");

        assertEquals(tick(missed1), sink.nextSeen());
        assertEquals(tick(missed2), sink.nextSeen());
        assertEquals(tick(live), sink.nextSeen());
        assertEquals(3, sink.sent.size(), "nothing else: no stream-open, no duplicate");
    }

    @Test
    void aResumeRacingWithPublishingGetsEveryEventAfterItsIdExactlyOnceAndInOrder() throws Exception {
        Channels channels = channels(Map.of("history.size", "100000", "client.buffer", "100000"));
        int rounds = 50;
        int events = 400;
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < rounds; round++) {
                List<String> out = new CopyOnWriteArrayList<>();
                CountDownLatch started = new CountDownLatch(1);
                Future<?> publishing = publisher.submit(() -> {
                    for (int i = 0; i < events; i++) {
                        out.add(publish("prices"));
                        if (i == 10) {
                            started.countDown();
                        }
                    }
                });
                assertTrue(started.await(10, TimeUnit.SECONDS));
                String lastEventId = out.get(out.size() - 1 - Math.min(out.size() - 1, round % 7));
                RecordingSink sink = new RecordingSink();
                channels.register("prices", sink, lastEventId); // while events keep coming
                publishing.get(10, TimeUnit.SECONDS);
                String end = publish("prices");

                List<String> expected = new ArrayList<>(out.subList(out.indexOf(lastEventId) + 1, out.size()));
                expected.add(end);
                List<String> received = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    received.add(sink.next().getId());
                }
                assertEquals(expected, received, "round " + round + ", resumed after " + lastEventId);
                assertEquals(expected.size(), sink.sent.size(), "round " + round + ": nothing else was sent");
                channels.broadcaster("prices").close();
            }
        } finally {
            publisher.shutdownNow();
        }
    }

    @Test
    void aPositionNoLongerRetainedGetsStreamResetThenLiveEvents() throws Exception {
        Channels channels = channels(Map.of("history.size", "2"));
        String old = publish("prices");
        publish("prices");
        publish("prices");
        publish("prices");
        RecordingSink sink = new RecordingSink();

        channels.register("prices", sink, old);
        String live = publish("prices");

        OutboundSseEvent reset = sink.next();
        assertEquals("stream-reset", reset.getName());
        assertEquals("{\"channels\":[\"prices\"]}", reset.getData());
        assertEquals(tick(live), sink.nextSeen());
    }

    @Test
    void broadcastPublishesThroughTheTopicSoEverySinkGetsTheEventWithTheIdTheHubAssigned() throws Exception {
        Channels channels = channels(Map.of());
        SseBroadcaster broadcaster = channels.broadcaster("prices");
        RecordingSink sink = new RecordingSink();
        broadcaster.register(sink);

        Object id = broadcaster.broadcast(new AppEvent(null, null, "hi")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        broadcaster.broadcast(new AppEvent(null, "quote", Map.of("p", 7)));

        assertEquals(2, topic.sent.size(), "both went out through the topic");
        assertEquals("prices", topic.sent.get(0).channel());
        assertEquals("message@" + id + ":\"hi\"", sink.nextSeen());
        assertEquals("quote@" + topic.sent.get(1).id() + ":{\"p\":7}", sink.nextSeen());
    }

    @Test
    void broadcastRefusesAnEventThatSetsItsOwnId() {
        Channels channels = channels(Map.of());
        SseBroadcaster broadcaster = channels.broadcaster("prices");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> broadcaster.broadcast(new AppEvent("forged-1", "quote", "x")));
        assertTrue(refused.getMessage().contains("assigns"), refused.getMessage());
        assertEquals(List.of(), topic.sent);
    }
}
