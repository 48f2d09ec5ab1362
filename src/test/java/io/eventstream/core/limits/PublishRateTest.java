package io.eventstream.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publish rate on a hand clock. */
class PublishRateTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(42 * SECOND);
    private final List<String> logged = new ArrayList<>();
    private final Logger logger = Logger.getLogger(PublishRate.class.getName());
    private final Handler capture = new Handler() {
        @Override public void publish(LogRecord record) { logged.add(record.getMessage()); }
        @Override public void flush() { }
        @Override public void close() { }
    };

    private PublishRate rate(String perSecond) {
        logger.addHandler(capture);
        return new PublishRate(Settings.of(Map.of("publish.rate", perSecond)), clock::get);
    }

    @AfterEach
    void removeCapture() {
        logger.removeHandler(capture);
    }

    @Test
    void aPublisherOverItsRateIsRefusedWithWhenToRetryWhileAnotherIsNot() {
        PublishRate rate = rate("100");
        rate.take("alice", 100); // a batch counts its events
        RetryLater refused = assertThrows(RetryLater.class, () -> rate.take("alice", 1));
        assertEquals(Refusal.TOO_MANY_REQUESTS, refused.refusal());
        assertEquals(1, refused.retryAfterSeconds(), "a hundredth of a second, rounded up to the header's 1");
        assertTrue(refused.getMessage().contains("eventstream.publish.rate"), refused.getMessage());
        rate.take("bob", 100);

        clock.addAndGet(SECOND / 2);
        rate.take("alice", 50);
        assertThrows(RetryLater.class, () -> rate.take("alice", 1));
        assertEquals(2, rate.refusedRequests());
        assertEquals(2, rate.refusedEvents());
    }

    @Test
    void aBatchIsRefusedWholeAndRetryAfterIsTheWaitForAllOfIt() {
        PublishRate rate = rate("10");
        rate.take("alice", 10);
        clock.addAndGet(SECOND / 10); // one token back
        RetryLater refused = assertThrows(RetryLater.class, () -> rate.take("alice", 10));
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals(10, rate.refusedEvents());
        rate.take("alice", 1); // the refused batch took nothing
        assertThrows(RetryLater.class, () -> rate.take("alice", 1));
        clock.addAndGet(SECOND);
        rate.take("alice", 10);
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        PublishRate rate = rate("1");
        rate.take("alice", 1);
        clock.addAndGet(SECOND / 4);
        assertEquals(1, assertThrows(RetryLater.class, () -> rate.take("alice", 1)).retryAfterSeconds());
    }

    @Test
    void aBatchLargerThanOneSecondsRateCanNeverPassAndIsTooLarge() {
        PublishRate rate = rate("10");
        EventStreamException refused = assertThrows(EventStreamException.class, () -> rate.take("alice", 11));
        assertEquals(Refusal.TOO_LARGE, refused.refusal());
        assertTrue(refused.getMessage().contains("eventstream.publish.rate"), refused.getMessage());
        rate.take("alice", 10); // and it took nothing
    }

    @Test
    void aRateOfZeroIsOff() {
        PublishRate rate = rate("0");
        for (int i = 0; i < 1000; i++) {
            rate.take("alice", 1000);
        }
        assertEquals(0, rate.tracked());
    }

    @Test
    void refusalsOfOnePublisherAreLoggedAtMostOnceInTenSecondsSayingHowManyTheLineStandsFor() {
        PublishRate rate = rate("1");
        rate.take("alice", 1);
        for (int i = 0; i < 50; i++) {
            assertThrows(RetryLater.class, () -> rate.take("alice", 1));
        }
        rate.take("bob", 1);
        assertThrows(RetryLater.class, () -> rate.take("bob", 1));
        assertEquals(2, logged.size(), String.join("\n", logged));
        assertTrue(logged.get(0).contains("'alice'") && logged.get(0).contains("eventstream.publish.rate=1"), logged.get(0));
        assertTrue(logged.get(1).contains("'bob'"), logged.get(1));

        clock.addAndGet(10 * SECOND);
        rate.take("alice", 1); // ten seconds later: one token is back
        assertThrows(RetryLater.class, () -> rate.take("alice", 1));
        assertEquals(3, logged.size());
        assertTrue(logged.get(2).contains("49 more"), logged.get(2));
    }

    @Test
    void idlePublishersAreForgotten() {
        PublishRate rate = rate("5");
        for (int i = 0; i < 100; i++) {
            rate.take("publisher-" + i, 5);
        }
        assertEquals(100, rate.tracked());
        clock.addAndGet(PublishRate.IDLE.toNanos() + 2 * SECOND);
        rate.take("publisher-0", 5); // the first publish after IDLE sweeps
        assertEquals(1, rate.tracked());
        assertThrows(RetryLater.class, () -> rate.take("publisher-0", 1), "the one that published keeps its bucket");
        rate.take("publisher-1", 5);
    }
}
