package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.CompletionListener;
import jakarta.jms.JMSException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The outbox against a wire that records each message and lets the test confirm it, and a flusher the test runs. */
class OutboxTest {

    /** One message handed to the wire: its events (or change), and its listener. */
    private record Handed(List<ChannelEvent> events, PermissionChange change, CompletionListener done) {
        List<String> ids() {
            return change != null ? List.of("change:" + change.user()) : events.stream().map(ChannelEvent::id).toList();
        }
    }

    private final List<Handed> wire = new ArrayList<>();
    private final Queue<Runnable> flusherTasks = new ArrayDeque<>();
    private JMSException refuseNext;

    private Outbox outbox(int eventsPerMessage) {
        return new Outbox(new Object(), new Outbox.Wire() {
            @Override
            public void send(List<ChannelEvent> events, CompletionListener done) throws JMSException {
                refuse();
                wire.add(new Handed(List.copyOf(events), null, done));
            }

            @Override
            public void send(PermissionChange change, CompletionListener done) throws JMSException {
                refuse();
                wire.add(new Handed(null, change, done));
            }
        }, eventsPerMessage, flusherTasks::add);
    }

    private void refuse() throws JMSException {
        JMSException refused = refuseNext;
        refuseNext = null;
        if (refused != null) {
            throw refused;
        }
    }

    private static ChannelEvent event(String id) {
        return new ChannelEvent(id, "c", "message", "{}");
    }

    private static List<ChannelEvent> events(String... ids) {
        return List.of(ids).stream().map(OutboxTest::event).toList();
    }

    private CompletableFuture<Void> submit(Outbox outbox, String... ids) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        outbox.submit(events(ids), future);
        return future;
    }

    private void confirm(int message) {
        wire.get(message).done().onCompletion(null);
        runFlusher();
    }

    private void runFlusher() {
        Runnable task;
        while ((task = flusherTasks.poll()) != null) {
            task.run();
        }
    }

    private List<List<String>> messages() {
        return wire.stream().map(Handed::ids).toList();
    }

    @Test
    void eventsGoAtOnceAloneWhileThereIsRoomThenTogetherOnceTheBrokerConfirms() {
        Outbox outbox = outbox(100);
        CompletableFuture<Void> first = submit(outbox, "1");
        CompletableFuture<Void> second = submit(outbox, "2");
        assertEquals(List.of(List.of("1"), List.of("2")), messages(), "two messages may be unconfirmed");

        CompletableFuture<Void> third = submit(outbox, "3");
        CompletableFuture<Void> batch = submit(outbox, "4", "5");
        assertEquals(2, wire.size(), "the rest waits for a confirmation");
        assertTrue(flusherTasks.isEmpty());

        confirm(0);
        assertTrue(first.isDone());
        assertFalse(second.isDone());
        assertEquals(List.of(List.of("1"), List.of("2"), List.of("3", "4", "5")), messages(), "what waited, as one message");
        assertFalse(third.isDone());
        assertFalse(batch.isDone());

        confirm(2);
        assertTrue(third.isDone() && batch.isDone(), "each submission confirmed with the message that holds it");
        assertFalse(second.isDone(), "not by another message's confirmation");
        assertEquals(3, outbox.sentCounts()[0], "three messages");
        assertEquals(5, outbox.sentCounts()[1]);
    }

    @Test
    void aSubmissionLargerThanAMessageIsSplitInOrderAndConfirmedWhenAllItsMessagesAre() {
        Outbox outbox = outbox(3);
        submit(outbox, "a");
        submit(outbox, "b");
        CompletableFuture<Void> big = submit(outbox, "1", "2", "3", "4", "5", "6", "7");
        CompletableFuture<Void> after = submit(outbox, "8");

        confirm(0);
        confirm(1);
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("1", "2", "3"), List.of("4", "5", "6")), messages());
        confirm(2);
        assertFalse(big.isDone());
        confirm(3);
        assertEquals(List.of("7", "8"), messages().get(4), "the rest of it, then the next submission");
        assertFalse(big.isDone());
        confirm(4);
        assertTrue(big.isDone() && after.isDone());
    }

    @Test
    void aBigEventGoesAloneAndSmallOnesFillAMessageUpToItsBytes() {
        Outbox outbox = outbox(100);
        submit(outbox, "a");
        submit(outbox, "b");
        String half = "\"" + "x".repeat(Outbox.MESSAGE_BYTES / 2) + "\"";
        List<ChannelEvent> large = List.of(new ChannelEvent("L1", "c", "message", half), new ChannelEvent("L2", "c", "message", half),
                new ChannelEvent("L3", "c", "message", "\"" + "y".repeat(Outbox.MESSAGE_BYTES * 2) + "\""));
        outbox.submit(large, new CompletableFuture<>());
        confirm(0);
        confirm(1);
        confirm(2);
        assertEquals(List.of(List.of("L1"), List.of("L2"), List.of("L3")), messages().subList(2, 5),
                "two halves and a bit do not fit one message; an event bigger than a message goes alone");
    }

    @Test
    void aPermissionChangeIsAMessageOfItsOwnInItsPlace() {
        Outbox outbox = outbox(100);
        submit(outbox, "a");
        submit(outbox, "b");
        submit(outbox, "1", "2");
        CompletableFuture<Void> change = new CompletableFuture<>();
        outbox.submit(new PermissionChange("alice", "c"), change);
        submit(outbox, "3");

        confirm(0);
        assertEquals(List.of("1", "2"), messages().get(2), "the events before it, without it");
        confirm(1);
        assertEquals(List.of("change:alice"), messages().get(3), "alone, though an event waits behind it");
        confirm(2);
        assertEquals(List.of("3"), messages().get(4));
        confirm(3);
        assertTrue(change.isDone());
    }

    @Test
    void oneEventPerMessageSendsEachAlone() {
        Outbox outbox = outbox(1);
        List<CompletableFuture<Void>> sent = IntStream.range(0, 5).mapToObj(i -> submit(outbox, "e" + i)).toList();
        for (int i = 0; i < 5; i++) {
            confirm(i);
        }
        assertEquals(List.of(List.of("e0"), List.of("e1"), List.of("e2"), List.of("e3"), List.of("e4")), messages());
        assertTrue(sent.stream().allMatch(CompletableFuture::isDone));
        assertThrows(IllegalArgumentException.class, () -> outbox(0));
    }

    @Test
    void aFailedMessageFailsTheSubmissionsInItAndTheOthersGoOn() throws Exception {
        Outbox outbox = outbox(100);
        refuseNext = new JMSException("the broker refused it");
        CompletableFuture<Void> refused = submit(outbox, "1");
        CompletableFuture<Void> next = submit(outbox, "2");
        CompletableFuture<Void> third = submit(outbox, "3");
        assertTrue(refused.isCompletedExceptionally(), "a message the wire refuses at once");
        assertEquals(List.of(List.of("2"), List.of("3")), messages(), "its room is free again");

        Exception lost = new IllegalStateException("connection lost");
        wire.get(0).done().onException(null, lost);
        ExecutionException failed = assertThrows(ExecutionException.class, next::get);
        assertSame(lost, failed.getCause(), "the broker's reason reaches the publisher");
        confirm(1);
        assertTrue(third.isDone() && !third.isCompletedExceptionally());
    }

    @Test
    void aPublisherFasterThanTheBrokerWaitsForRoomOnceTenMessagesWorthWait() throws Exception {
        Outbox outbox = outbox(2);
        submit(outbox, "a");
        submit(outbox, "b"); // two in flight
        for (int i = 0; i < 20; i++) {
            submit(outbox, "w" + i); // twenty waiting: 10 x 2
        }
        CompletableFuture<Void> late = new CompletableFuture<>();
        Thread publisher = new Thread(() -> outbox.submit(events("late"), late));
        publisher.start();
        awaitState(publisher, Thread.State.WAITING, Thread.State.TIMED_WAITING);
        assertEquals(2, wire.size());

        confirm(0); // one message of two waiting events goes: room for one more
        publisher.join(10_000);
        assertFalse(publisher.isAlive(), "the publisher got in once there was room");
        confirm(1);
        for (int i = 2; i < 12; i++) {
            confirm(i);
        }
        assertEquals(List.of("w18", "w19"), messages().get(11));
        assertEquals(List.of("late"), messages().get(12), "in its place, after what waited before it");
    }

    @Test
    void aPublisherWaitingForRoomFailsWhenTheLinkCloses() throws Exception {
        Outbox outbox = outbox(1);
        for (int i = 0; i < Outbox.MAX_IN_FLIGHT_SINGLE + 10; i++) {
            submit(outbox, "e" + i);
        }
        CompletableFuture<Void> late = new CompletableFuture<>();
        Thread publisher = new Thread(() -> outbox.submit(events("late"), late));
        publisher.start();
        awaitState(publisher, Thread.State.WAITING, Thread.State.TIMED_WAITING);

        outbox.close();
        publisher.join(10_000);
        ExecutionException failed = assertThrows(ExecutionException.class, late::get);
        assertTrue(failed.getCause().getMessage().contains("closed"), failed.getCause().getMessage());
        assertEquals(Outbox.MAX_IN_FLIGHT_SINGLE, wire.size(), "one event per message: many in flight, as before the outbox");
    }

    private static void awaitState(Thread thread, Thread.State... states) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!List.of(states).contains(thread.getState())) {
            assertTrue(System.nanoTime() < deadline, "the thread is " + thread.getState());
            Thread.sleep(5);
        }
    }

    @Test
    void anEmptySubmissionIsConfirmedAtOnceAndSendsNothing() {
        Outbox outbox = outbox(100);
        assertTrue(submit(outbox).isDone());
        assertEquals(List.of(), messages());
    }
}
