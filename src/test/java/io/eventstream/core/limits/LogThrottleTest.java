package io.eventstream.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void letsOneLineThroughPerIntervalAndCountsTheOnesItHeldBack() {
        long start = -3 * SECOND;
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), start);
        assertEquals(0, throttle.admit(start), "the first line goes out at once");
        assertEquals(-1, throttle.admit(start + SECOND));
        assertEquals(-1, throttle.admit(start + 9 * SECOND));
        assertEquals(2, throttle.admit(start + 10 * SECOND), "the next one says how many it stands for");
        assertEquals(-1, throttle.admit(start + 11 * SECOND));
        assertEquals(1, throttle.admit(start + 60 * SECOND));
        assertEquals(-1, throttle.admit(start + 60 * SECOND));
    }
}
