package io.eventstream.core.limits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets one log line through per interval and counts the ones it held back, so the line that does go out can say how
 * many it stands for. Safe from any thread without a lock: the thread whose compare-and-set moves the next due time
 * logs, the others only count.
 */
public final class LogThrottle {

    private final long intervalNanos;
    private final AtomicLong due; // System.nanoTime() scale: when the next line may go out
    private final LongAdder held = new LongAdder();

    /**
     * @param interval the least time between two lines
     * @param now      the current time in nanoseconds ({@code System.nanoTime()} or a test's hand clock): the first
     *                 line may go out at once
     */
    public LogThrottle(Duration interval, long now) {
        this.intervalNanos = interval.toNanos();
        this.due = new AtomicLong(now);
    }

    /**
     * Whether to log now: the number of lines held back since the last one that went out (0 or more) when this one
     * should go out, or -1 when it is held back (and counted).
     */
    public long admit(long now) {
        long next = due.get();
        if (now - next >= 0 && due.compareAndSet(next, now + intervalNanos)) {
            return held.sumThenReset();
        }
        held.increment();
        return -1;
    }
}
