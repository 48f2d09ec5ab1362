package io.eventstream.adapter.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.hub.Inbound;
import jakarta.jms.JMSException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconnection driven by hand: the reconnector is a list of (task, delay) this test runs, and the broker is a fake
 * opener whose attempts fail or succeed as each test says.
 */
class LinkKeeperTest {

    private static final ChannelEvent EVENT = new ChannelEvent("1", "news", "message", "{}");

    /** A link to a fake broker: records what was sent over it and whether it was closed. */
    private static final class FakeLink implements BrokerLink {
        final List<ChannelEvent> sent = new ArrayList<>();
        final AtomicInteger closes = new AtomicInteger();
        volatile boolean failed;
        volatile Exception sendFailure;
        final boolean caughtUp;

        FakeLink(boolean caughtUp) {
            this.caughtUp = caughtUp;
        }

        @Override
        public boolean caughtUp() {
            return caughtUp;
        }

        @Override
        public CompletableFuture<Void> send(List<ChannelEvent> events) throws Exception {
            if (sendFailure != null) {
                throw sendFailure;
            }
            sent.addAll(events);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> send(PermissionChange change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> announce(String report) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean failed() {
            return failed;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    /** What the next attempt to open a link does. */
    @FunctionalInterface
    private interface Attempt {
        BrokerLink open(BiConsumer<BrokerLink, Exception> onFailure) throws Exception;
    }

    /** A task given to the reconnector, and its delay. */
    private record Scheduled(Runnable task, long delayMillis) {
    }

    private final Queue<Attempt> attempts = new ArrayDeque<>();
    private final List<FakeLink> opened = new ArrayList<>();
    private final List<BiConsumer<BrokerLink, Exception>> failureReports = new ArrayList<>();
    private final Queue<Scheduled> scheduled = new ArrayDeque<>();
    private final AtomicInteger missed = new AtomicInteger();
    private final AtomicInteger fellBehind = new AtomicInteger();
    private final Inbound inbound = new Inbound() {
        @Override public void event(ChannelEvent event) { }
        @Override public void permissionChanged(PermissionChange change) { }
        @Override public int recover(List<LoggedEvent> log) { throw new AssertionError("the link recovers, not the keeper"); }
        @Override public void missed() { missed.incrementAndGet(); }
        @Override public void fallingBehind() { fellBehind.incrementAndGet(); }
    };
    private final LinkKeeper keeper = new LinkKeeper("artemis", onFailure -> {
        failureReports.add(onFailure);
        Attempt attempt = attempts.poll();
        if (attempt == null) {
            throw new AssertionError("an attempt to link that the test did not expect");
        }
        return attempt.open(onFailure);
    }, inbound, (task, delay) -> scheduled.add(new Scheduled(task, delay)));
    // Every failure is logged as unhealthy: expected here, so kept off the console.
    private final Logger log = Logger.getLogger(LinkKeeper.class.getName());

    @BeforeEach
    void quiet() {
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void loud() {
        log.setUseParentHandlers(true);
    }

    private Attempt succeeds() {
        return succeeds(false);
    }

    /** An attempt that links; {@code caughtUp}: as a link that read the broker's event log. */
    private Attempt succeeds(boolean caughtUp) {
        return onFailure -> {
            FakeLink link = new FakeLink(caughtUp);
            opened.add(link);
            return link;
        };
    }

    private static Attempt refused(String why) {
        return onFailure -> {
            throw new JMSException(why);
        };
    }

    /** Runs the next task given to the reconnector, which must have been given with {@code delayMillis}. */
    private void runNext(long delayMillis) {
        Scheduled next = scheduled.poll();
        assertTrue(next != null, "nothing was scheduled");
        assertEquals(delayMillis, next.delayMillis());
        next.task().run();
    }

    /** Reports the loss of the link opened last, as the broker client's thread does. */
    private void loseLink(Exception why) {
        failureReports.get(failureReports.size() - 1).accept(opened.get(opened.size() - 1), why);
    }

    private EventStreamException refusedSend() {
        CompletableFuture<Void> sent = keeper.send(() -> "publish to 'news'", link -> link.send(List.of(EVENT)));
        CompletionException refused = assertThrows(CompletionException.class, sent::join);
        return assertInstanceOf(EventStreamException.class, refused.getCause());
    }

    private void send() {
        keeper.send(() -> "publish to 'news'", link -> link.send(List.of(EVENT))).join();
    }

    @Test
    void theFirstAttemptRunsOnTheReconnectorAndIsNotAGap() {
        attempts.add(succeeds());
        keeper.start();
        assertTrue(opened.isEmpty(), "start() must not connect on the caller's thread");
        assertFalse(keeper.firstAttempt().isDone());
        assertEquals(Optional.of("the broker has not been reached yet"), keeper.failure());

        runNext(0);
        assertTrue(keeper.firstAttempt().isDone());
        assertEquals(Optional.empty(), keeper.failure());
        send();
        assertEquals(List.of(EVENT), opened.get(0).sent);
        assertEquals(0, missed.get(), "nothing can have been missed before the first link");
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void failedAttemptsAreRetriedWithABackoffCappedAtTenSeconds() {
        for (int i = 0; i < 8; i++) {
            attempts.add(refused("Connection refused"));
        }
        attempts.add(succeeds());
        keeper.start();
        runNext(0);
        assertTrue(keeper.firstAttempt().isDone(), "a failed first attempt is over too: the deployment goes on");
        for (long delay : new long[] {500, 1000, 2000, 4000, 8000, 10_000, 10_000}) {
            EventStreamException refused = refusedSend();
            assertEquals(Refusal.UNAVAILABLE, refused.refusal());
            assertEquals("cannot publish to 'news': cannot connect to the artemis broker: Connection refused", refused.getMessage());
            runNext(delay);
        }
        runNext(10_000);
        assertEquals(Optional.empty(), keeper.failure());
        send();
        assertEquals(0, missed.get(), "never linked before: nothing was missed");
        assertTrue(scheduled.isEmpty());

        // The backoff starts over once linked.
        attempts.add(refused("Connection refused"));
        attempts.add(succeeds());
        loseLink(new JMSException("connection reset"));
        runNext(0);
        runNext(500);
        assertEquals(Optional.empty(), keeper.failure());
    }

    @Test
    void aLostLinkIsClosedAndReopenedAndEachReLinkTellsTheHubEventsMayHaveBeenMissed() {
        attempts.add(succeeds());
        keeper.start();
        runNext(0);
        FakeLink first = opened.get(0);

        attempts.add(succeeds());
        loseLink(new JMSException("connection reset by peer"));
        EventStreamException refused = refusedSend();
        assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        assertTrue(refused.getMessage().contains("the broker connection failed: connection reset by peer"), refused.getMessage());
        assertEquals(0, missed.get());
        runNext(0);
        assertEquals(1, first.closes.get());
        assertEquals(1, missed.get());
        send();
        assertEquals(List.of(EVENT), opened.get(1).sent);

        // Lost again, and the broker is down for a while: one gap reported, when the link is back.
        attempts.add(refused("Connection refused"));
        attempts.add(refused("Connection refused"));
        attempts.add(succeeds());
        loseLink(new JMSException("connection reset by peer"));
        runNext(0);
        runNext(500);
        assertEquals(1, missed.get());
        runNext(1000);
        assertEquals(2, missed.get());
        assertEquals(1, opened.get(1).closes.get());
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void aReLinkThatCaughtUpFromTheEventLogIsNoGap() {
        attempts.add(succeeds(true));
        keeper.start();
        runNext(0);

        attempts.add(refused("Connection refused"));
        attempts.add(succeeds(true));
        loseLink(new JMSException("connection reset by peer"));
        runNext(0);
        runNext(500);
        assertEquals(0, missed.get(), "the new link brought the node up to date from the log");
        assertEquals(1, fellBehind.get(), "behind from the loss of a link that had read the log");
        assertEquals(Optional.empty(), keeper.failure());
        send();
        assertEquals(List.of(EVENT), opened.get(1).sent);
    }

    @Test
    void aReportFromALinkAlreadyReplacedIsIgnored() {
        attempts.add(succeeds());
        attempts.add(succeeds());
        keeper.start();
        runNext(0);
        BiConsumer<BrokerLink, Exception> firstReport = failureReports.get(0);
        loseLink(new JMSException("reset"));
        runNext(0);
        assertEquals(1, missed.get());
        assertEquals(0, fellBehind.get(), "a link without a log never catches up: the node misses, it is not behind");

        firstReport.accept(opened.get(0), new JMSException("reset, reported twice"));
        assertTrue(scheduled.isEmpty());
        assertEquals(Optional.empty(), keeper.failure());
        send();
    }

    @Test
    void aLinkLostBeforeOpenReturnedIsClosedAndReopenedAfterTheBackoff() {
        FakeLink lostAtOnce = new FakeLink(false);
        attempts.add(onFailure -> {
            lostAtOnce.failed = true;
            onFailure.accept(lostAtOnce, new JMSException("lost during open")); // the keeper does not hold it yet
            return lostAtOnce;
        });
        attempts.add(succeeds());
        keeper.start();
        runNext(0);
        assertTrue(keeper.firstAttempt().isDone());
        assertEquals(Refusal.UNAVAILABLE, refusedSend().refusal());
        assertTrue(keeper.failure().orElseThrow().contains("lost as it opened"), keeper.failure().toString());
        assertEquals(1, lostAtOnce.closes.get());

        runNext(LinkKeeper.FIRST_RETRY_MILLIS); // retried after the backoff, as any failed attempt
        assertEquals(1, lostAtOnce.closes.get());
        assertEquals(Optional.empty(), keeper.failure());
        send();
        assertEquals(List.of(EVENT), opened.get(0).sent);
        assertEquals(0, missed.get(), "the lost link was never held: nothing was missed");
    }

    @Test
    void aSendThatFailsIsUnavailableNamingWhy() {
        attempts.add(succeeds());
        keeper.start();
        runNext(0);
        JMSException failure = new JMSException("AMQ219014: Timed out after waiting 30,000 ms for response");
        opened.get(0).sendFailure = failure;
        EventStreamException refused = refusedSend();
        assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        assertEquals("cannot publish to 'news': AMQ219014: Timed out after waiting 30,000 ms for response", refused.getMessage());
        assertSame(failure, refused.getCause());

        opened.get(0).sendFailure = new JMSException(null); // Artemis sometimes says nothing: the type is named
        assertTrue(refusedSend().getMessage().contains("JMSException"), refusedSend().getMessage());
    }

    @Test
    void afterStopNothingReconnectsAndNothingIsSent() {
        attempts.add(refused("Connection refused"));
        attempts.add(succeeds());
        keeper.start();
        runNext(0);
        runNext(500);
        FakeLink link = opened.get(0);

        keeper.stop();
        assertEquals(1, link.closes.get());
        EventStreamException refused = refusedSend();
        assertEquals(Refusal.UNAVAILABLE, refused.refusal());
        assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
        loseLink(new JMSException("closed")); // the broker client reports the close
        assertTrue(scheduled.isEmpty());
        assertTrue(link.sent.isEmpty());
    }

    @Test
    void aRetryDueAfterStopDoesNotConnect() {
        attempts.add(refused("Connection refused"));
        keeper.start();
        runNext(0);
        keeper.stop();
        runNext(500); // the opener would fail the test if it were called
        assertTrue(scheduled.isEmpty());
        assertEquals(Optional.of("the application is shutting down"), keeper.failure());
    }
}
