package io.eventstream.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bucket on a hand clock of nanoseconds. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = -5 * SECOND; // System.nanoTime() may be negative

    @Test
    void aFullBucketGivesOneSecondsWorthAtOnceThenNothing() {
        TokenBucket bucket = new TokenBucket(100, START);
        assertEquals(0, bucket.take(60, START));
        assertEquals(0, bucket.take(40, START));
        long wait = bucket.take(1, START);
        assertEquals(SECOND / 100, wait, "one token comes back after a hundredth of a second");
    }

    @Test
    void tokensComeBackAtTheRateUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(100, START);
        assertEquals(0, bucket.take(100, START));
        assertEquals(0, bucket.take(50, START + SECOND / 2), "half a second gives back half");
        assertTrue(bucket.take(1, START + SECOND / 2) > 0);
        // Idle for ten seconds: still only one second's worth.
        long later = START + 11 * SECOND;
        assertEquals(0, bucket.take(100, later));
        assertTrue(bucket.take(1, later) > 0);
    }

    @Test
    void aRefusedTakeTakesNothingAndSaysHowLongUntilThereIsRoom() {
        TokenBucket bucket = new TokenBucket(10, START);
        assertEquals(0, bucket.take(8, START));
        long wait = bucket.take(5, START);
        assertEquals(3 * SECOND / 10, wait, "3 of 5 tokens are missing: 0.3 s");
        assertEquals(0, bucket.take(2, START), "the refused take took nothing");
        assertEquals(SECOND / 2, bucket.take(5, START));
        assertEquals(0, bucket.take(5, START + SECOND / 2));
    }

    @Test
    void aRateThatDoesNotDivideASecondStillGivesItsBurst() {
        TokenBucket bucket = new TokenBucket(3, START);
        assertEquals(0, bucket.take(3, START));
        assertTrue(bucket.take(1, START) > 0);
        TokenBucket fast = new TokenBucket(2_000_000_000, START); // faster than a token a nanosecond
        assertEquals(0, fast.take(1_000_000, START));
    }

    @Test
    void anIdleFullBucketRetiresAndThenRefusesEveryTake() {
        TokenBucket bucket = new TokenBucket(10, START);
        assertEquals(0, bucket.take(10, START));
        assertFalse(bucket.retireIfIdle(START + 5 * SECOND, 60 * SECOND), "full for 4 s only");
        assertTrue(bucket.retireIfIdle(START + 61 * SECOND, 60 * SECOND));
        assertEquals(TokenBucket.RETIRED, bucket.take(1, START + 61 * SECOND));
        assertFalse(bucket.retireIfIdle(START + 200 * SECOND, 60 * SECOND), "retired once");
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, START));
    }

    @Test
    void concurrentTakesGiveAwayExactlyTheBurst() throws Exception {
        TokenBucket bucket = new TokenBucket(1000, START);
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread racer = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    if (bucket.take(1, START) == 0) { // the clock stands still: nothing comes back
                        taken.incrementAndGet();
                    }
                }
            });
            racers.add(racer);
            racer.start();
        }
        start.countDown();
        for (Thread racer : racers) {
            racer.join(10_000);
        }
        assertEquals(1000, taken.get());
    }
}
