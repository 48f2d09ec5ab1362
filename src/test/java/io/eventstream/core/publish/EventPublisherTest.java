package io.eventstream.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.OutgoingEvent;
import io.eventstream.api.Refusal;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import io.eventstream.core.metrics.Timings;
import org.junit.jupiter.api.Test;

class EventPublisherTest {

    /** A topic that records each send and holds its confirmation until the test gives it. */
    private static class HeldTopic implements Outbound {
        final List<List<ChannelEvent>> sends = new ArrayList<>();
        final Queue<CompletableFuture<Void>> confirmations = new ArrayDeque<>();

        @Override
        public CompletionStage<Void> send(List<ChannelEvent> events) {
            sends.add(List.copyOf(events));
            CompletableFuture<Void> confirmation = new CompletableFuture<>();
            confirmations.add(confirmation);
            return confirmation;
        }

        @Override
        public void send(PermissionChange change) {
        }

        @Override
        public CompletionStage<Void> announce(String report) {
            throw new UnsupportedOperationException("the publisher announces nothing");
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
            return "held";
        }

        void confirmNext() {
            confirmations.remove().complete(null);
        }
    }

    /** Runs what it is given only when the test says so, like a container's executor would, later. */
    private static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove().run();
            }
        }
    }

    private final HeldTopic topic = new HeldTopic();
    private final ManualExecutor callbacks = new ManualExecutor();
    private final EventPublisher publisher = new EventPublisher(topic,
            Settings.of(Map.of("eventstream.publish.max-batch", "3", "eventstream.event.max-bytes", "10")), callbacks);

    @Test
    void sendAsyncReturnsBeforeTheBrokerConfirmsAndCompletesWithTheIdOnTheApplicationsExecutor() throws Exception {
        CompletableFuture<String> sent = publisher.sendAsync("news", "message", Map.of("a", 1)).toCompletableFuture();
        assertFalse(sent.isDone(), "nothing waits for the broker");
        ChannelEvent event = topic.sends.get(0).get(0);
        assertEquals("{\"a\":1}", event.data());

        topic.confirmNext();
        assertFalse(sent.isDone(), "the confirming thread does not run the application's continuation");
        callbacks.runAll();
        assertEquals(event.id(), sent.get());
    }

    @Test
    void aBatchGoesOutAsOneSendInOrderWithItsIds() throws Exception {
        CompletableFuture<List<String>> sent = publisher.sendAllAsync(List.of(OutgoingEvent.of("a", 1),
                new OutgoingEvent("b", "tick", 2), OutgoingEvent.of("a", 3))).toCompletableFuture();
        assertEquals(1, topic.sends.size());
        List<ChannelEvent> batch = topic.sends.get(0);
        assertEquals(List.of("a", "b", "a"), batch.stream().map(ChannelEvent::channel).toList());
        assertEquals(List.of("1", "2", "3"), batch.stream().map(ChannelEvent::data).toList());
        assertEquals("tick", batch.get(1).type());

        topic.confirmNext();
        callbacks.runAll();
        assertEquals(batch.stream().map(ChannelEvent::id).toList(), sent.get());
        assertEquals(3, sent.get().stream().distinct().count());
    }

    @Test
    void oneBadEventRefusesTheWholeBatchNamingItAndSendsNothing() {
        EventStreamException refused = assertThrows(EventStreamException.class, () -> publisher.sendAll(List.of(
                OutgoingEvent.of("a", 1), OutgoingEvent.of("no spaces", 2), OutgoingEvent.of("a", "x".repeat(20)))));
        assertEquals(Refusal.BAD_REQUEST, refused.refusal());
        assertTrue(refused.getMessage().startsWith("item 1: "), refused.getMessage());
        assertEquals(List.of(), topic.sends);

        EventStreamException tooLarge = assertThrows(EventStreamException.class,
                () -> publisher.sendAll(List.of(OutgoingEvent.of("a", 1), OutgoingEvent.of("a", "x".repeat(20)))));
        assertEquals(Refusal.TOO_LARGE, tooLarge.refusal());
        assertTrue(tooLarge.getMessage().startsWith("item 1: event data is 22 bytes"), tooLarge.getMessage());
        assertEquals(List.of(), topic.sends);
    }

    @Test
    void aBatchHasAtLeastOneEventAndAtMostMaxBatch() {
        EventStreamException empty = assertThrows(EventStreamException.class, () -> publisher.sendAll(List.of()));
        assertEquals(Refusal.BAD_REQUEST, empty.refusal());
        List<OutgoingEvent> four = List.of(OutgoingEvent.of("a", 1), OutgoingEvent.of("a", 2), OutgoingEvent.of("a", 3),
                OutgoingEvent.of("a", 4));
        EventStreamException over = assertThrows(EventStreamException.class, () -> publisher.sendAllAsync(four));
        assertEquals(Refusal.TOO_LARGE, over.refusal());
        assertTrue(over.getMessage().contains("eventstream.publish.max-batch"), over.getMessage());
        assertEquals(List.of(), topic.sends);
    }

    @Test
    void aSendTheBrokerRefusedReachesTheCallerAsUnavailable() {
        CompletableFuture<String> sent = publisher.sendAsync("news", "message", 1).toCompletableFuture();
        topic.confirmations.remove().completeExceptionally(new EventStreamException(Refusal.UNAVAILABLE, "broker down"));
        callbacks.runAll();
        ExecutionException failed = assertThrows(ExecutionException.class, sent::get);
        EventStreamException refused = assertInstanceOf(EventStreamException.class, failed.getCause());
        assertEquals(Refusal.UNAVAILABLE, refused.refusal());
    }

    @Test
    void theBlockingSendThrowsWhatTheBrokerRefused() {
        Outbound down = new HeldTopic() {
            @Override
            public CompletionStage<Void> send(List<ChannelEvent> events) {
                return CompletableFuture.failedFuture(new EventStreamException(Refusal.UNAVAILABLE, "cannot publish: broker down"));
            }
        };
        EventPublisher blocking = new EventPublisher(down, Settings.of(Map.of()), callbacks);
        EventStreamException refused = assertThrows(EventStreamException.class, () -> blocking.send("news", 1));
        assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        assertEquals("cannot publish: broker down", refused.getMessage());
    }

    @Test
    void badInputOfSendAsyncIsRefusedAtOnce() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> publisher.sendAsync("news", "bad type\n", 1));
        assertEquals(Refusal.BAD_REQUEST, refused.refusal());
        assertEquals(List.of(), topic.sends);
    }

    @Test
    void countsWhatTheBrokerConfirmedByHowItCameAndTimesEachPublishOnce() {
        List<Long> timed = new ArrayList<>();
        publisher.timings = new Timings() {
            @Override public void publishConfirmed(long nanos) { timed.add(nanos); }
            @Override public void deliveryLag(long millis) { }
        };
        publisher.publish(new EventDraft("news", "message", "{}"));
        publisher.publishAll(List.of(new EventDraft("news", "message", "{}"), new EventDraft("sport", "message", "{}")));
        publisher.sendAsync("news", "message", Map.of());
        publisher.sendAllAsync(List.of(new OutgoingEvent("news", "message", Map.of())));
        assertEquals(0, publisher.publishedOverHttp() + publisher.publishedFromJava(), "nothing confirmed yet");

        topic.confirmNext();
        topic.confirmNext();
        topic.confirmNext();
        topic.confirmations.remove().completeExceptionally(new EventStreamException(Refusal.UNAVAILABLE, "broker down"));
        assertEquals(3, publisher.publishedOverHttp());
        assertEquals(1, publisher.publishedFromJava()); // the failed one is not counted
        assertEquals(3, timed.size());
        assertTrue(timed.stream().allMatch(nanos -> nanos >= 0));
    }
}
