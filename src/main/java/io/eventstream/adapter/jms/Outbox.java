package io.eventstream.adapter.jms;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.PermissionChange;
import jakarta.jms.CompletionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Gathers what publishers hand a link while the broker confirms the messages before, and sends it as one message:
 * under load many events share one message's broker cost (its journal records, routing, delivery and confirmation);
 * at a low rate each event goes at once, alone.
 *
 * <p>At most {@value #MAX_IN_FLIGHT} messages are unconfirmed at a time (with one event per message, where messages are
 * the only batching, {@value #MAX_IN_FLIGHT_SINGLE}, as the producer's confirmation window allowed before the outbox).
 * A submission that finds room and nothing
 * waiting goes at once, on the caller's thread. Otherwise it waits, in order, and when a confirmation makes room the
 * flusher sends what waits: up to {@code eventsPerMessage} events and about {@value #MESSAGE_BYTES} bytes per message (an
 * event bigger than that goes alone). Nothing overtakes what waits, so the messages keep the order of the submissions
 * and of the events in each. A permission change is a message of its own, in its place. A submission is confirmed
 * once every message that holds some of it is; it fails with the first that fails.
 *
 * <p>What waits is bounded: a submitter that would take it past {@code 10 × eventsPerMessage} events waits for room
 * (a submission alone is let in whatever its size), as the JMS producer's flow control made it wait before. Without
 * that a publisher faster than the broker filled the heap, and its events waited seconds (measured: p50 3-6 s with
 * {@code sendAsync} at full speed). It waits at most {@value #ROOM_WAIT_SECONDS} s; then its submission fails.
 *
 * <p>Concurrency: {@code lock} guards the queue, the counts, and the wire (whose JMS session is single-threaded):
 * messages are handed to the wire under it, in queue order. Confirmations arrive on the broker client's thread, which
 * only counts under the lock and, when something waits, asks the flusher to send it: it never sends itself, since a
 * send may wait for the broker's credits, which arrive on that very thread. Futures are completed outside the lock.
 */
final class Outbox {

    static final int MAX_IN_FLIGHT = 2;
    static final int MAX_IN_FLIGHT_SINGLE = 1024;
    static final int MESSAGE_BYTES = 64 * 1024;
    static final long ROOM_WAIT_SECONDS = 30;

    /** Hands one message to the broker; {@code done} hears of its confirmation. Called under the outbox's lock. */
    interface Wire {
        void send(List<ChannelEvent> events, CompletionListener done) throws JMSException;

        void send(PermissionChange change, CompletionListener done) throws JMSException;
    }

    /** What one publisher handed over: events, or a permission change. */
    private static final class Submission {
        final List<ChannelEvent> events; // null for a change
        final PermissionChange change;
        final CompletableFuture<Void> future;
        int sent; // how many of its events (a change: 0 or 1) are in messages handed to the wire
        int unconfirmed; // messages holding some of it, handed to the wire and not confirmed yet

        Submission(List<ChannelEvent> events, PermissionChange change, CompletableFuture<Void> future) {
            this.events = events;
            this.change = change;
            this.future = future;
        }

        boolean allSent() {
            return sent == (change != null ? 1 : events.size());
        }
    }

    private final Object lock;
    private final Wire wire;
    private final int eventsPerMessage;
    private final int maxInFlight;
    private final int maxWaitingEvents;
    private final Executor flusher;
    private final Deque<Submission> waiting = new ArrayDeque<>(); // guarded by lock
    private int waitingEvents; // guarded by lock: the events of the submissions in waiting not sent yet
    private int inFlight; // guarded by lock
    private boolean flushAsked; // guarded by lock
    private boolean closed; // guarded by lock
    private int messages; // guarded by lock: messages sent, for tests and logs
    private int events; // guarded by lock: events sent

    /**
     * @param lock guards the wire: whoever else sends on it (presence reports, markers) holds it too
     * @param eventsPerMessage most events in one message; 1: one message per event
     * @param flusher runs the sends that confirmations make room for; one thread is enough
     */
    Outbox(Object lock, Wire wire, int eventsPerMessage, Executor flusher) {
        if (eventsPerMessage < 1) {
            throw new IllegalArgumentException("eventsPerMessage must be at least 1, not " + eventsPerMessage);
        }
        this.lock = lock;
        this.wire = wire;
        this.eventsPerMessage = eventsPerMessage;
        this.maxInFlight = eventsPerMessage == 1 ? MAX_IN_FLIGHT_SINGLE : MAX_IN_FLIGHT;
        this.maxWaitingEvents = 10 * eventsPerMessage;
        this.flusher = flusher;
    }

    /** Sends {@code events} in order; {@code future} completes once the broker confirmed them all. */
    void submit(List<ChannelEvent> events, CompletableFuture<Void> future) {
        if (events.isEmpty()) {
            future.complete(null);
            return;
        }
        enqueue(new Submission(List.copyOf(events), null, future));
    }

    /** Sends a permission change after everything submitted before it. */
    void submit(PermissionChange change, CompletableFuture<Void> future) {
        enqueue(new Submission(null, change, future));
    }

    private void enqueue(Submission submission) {
        int size = submission.events != null ? submission.events.size() : 1;
        synchronized (lock) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ROOM_WAIT_SECONDS);
            while (waitingEvents > 0 && waitingEvents + size > maxWaitingEvents) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    submission.future.completeExceptionally(new IllegalStateException(closed
                            ? "the broker connection was closed before it took the send"
                            : "the broker confirmed too little for " + ROOM_WAIT_SECONDS + " s to take the send"));
                    return;
                }
                try {
                    // Woken by sendWaiting (which makes room) and close.
                    lock.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    submission.future.completeExceptionally(e);
                    return;
                }
            }
            waiting.addLast(submission);
            waitingEvents += size;
            sendWaiting();
        }
    }

    /** Fails what waits for room (the link is closing; it fails what was submitted). */
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    /** How many messages and events were handed to the wire so far: {@code [messages, events]}. */
    int[] sentCounts() {
        synchronized (lock) {
            return new int[] {messages, events};
        }
    }

    // Under the lock.
    private void sendWaiting() {
        boolean sent = false;
        while (inFlight < maxInFlight && !waiting.isEmpty()) {
            sendOne();
            sent = true;
        }
        if (sent) {
            lock.notifyAll(); // room for submitters that wait
        }
    }

    // Under the lock: one message from the head of the queue.
    private void sendOne() {
        Submission head = waiting.peekFirst();
        if (head.change != null) {
            waiting.pollFirst();
            waitingEvents--;
            head.sent = 1;
            Sent sent = handOver(List.of(head));
            try {
                wire.send(head.change, sent);
            } catch (JMSException | RuntimeException e) {
                sent.onException(null, e);
            }
            return;
        }
        List<ChannelEvent> batch = new ArrayList<>();
        List<Submission> parts = new ArrayList<>();
        int bytes = 0;
        for (Submission next = head; next != null && next.change == null; next = waiting.peekFirst()) {
            int before = next.sent;
            while (next.sent < next.events.size() && batch.size() < eventsPerMessage) {
                ChannelEvent event = next.events.get(next.sent);
                int size = event.data().length() + event.id().length() + event.channel().length() + event.type().length();
                if (!batch.isEmpty() && bytes + size > MESSAGE_BYTES) {
                    break;
                }
                batch.add(event);
                bytes += size;
                next.sent++;
            }
            if (next.sent > before) {
                parts.add(next);
            }
            if (!next.allSent()) {
                break; // the message is full; the rest of this submission begins the next one
            }
            waiting.pollFirst();
        }
        Sent sent = handOver(parts);
        events += batch.size();
        waitingEvents -= batch.size();
        try {
            wire.send(batch, sent);
        } catch (JMSException | RuntimeException e) {
            sent.onException(null, e);
        }
    }

    // Under the lock: counts a message as in flight, with the submissions it holds some of.
    private Sent handOver(List<Submission> parts) {
        inFlight++;
        messages++;
        parts.forEach(part -> part.unconfirmed++);
        return new Sent(parts);
    }

    /** One message handed to the wire: its confirmation confirms the submissions it completes. */
    private final class Sent implements CompletionListener {
        private final List<Submission> parts;

        Sent(List<Submission> parts) {
            this.parts = parts;
        }

        @Override
        public void onCompletion(Message message) {
            List<Submission> confirmed = new ArrayList<>(parts.size());
            synchronized (lock) {
                landed();
                for (Submission part : parts) {
                    part.unconfirmed--;
                    if (part.unconfirmed == 0 && part.allSent()) {
                        confirmed.add(part);
                    }
                }
            }
            confirmed.forEach(part -> part.future.complete(null));
        }

        @Override
        public void onException(Message message, Exception e) {
            synchronized (lock) {
                landed();
            }
            parts.forEach(part -> part.future.completeExceptionally(e));
        }

        // Under the lock: makes room, and has what waits sent by the flusher (never from the broker client's thread).
        private void landed() {
            inFlight--;
            if (!waiting.isEmpty() && !flushAsked) {
                flushAsked = true;
                try {
                    flusher.execute(() -> {
                        synchronized (lock) {
                            flushAsked = false;
                            sendWaiting();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    flushAsked = false; // the link is closing: it fails what waits
                }
            }
        }
    }
}
