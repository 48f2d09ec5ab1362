package io.eventstream.subscribe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that write to clients: a fixed base, plus one more for each thread stuck in a write that blocks
 * (a client that stopped reading, until the container's write timeout), so that stalled clients never hold
 * up the others.
 *
 * <p>A write to a healthy client takes microseconds; one that takes longer than {@link #STUCK_NANOS} is
 * waiting for a full socket buffer, and it may wait for the container's whole write timeout (30 s on Payara).
 */
final class WriterPool extends ThreadPoolExecutor {

    static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_THREADS = 1024;

    private final int base;
    private final Map<Thread, Long> runningSince = new ConcurrentHashMap<>();

    WriterPool(int base, ThreadFactory threads) {
        super(base, base, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        this.base = base;
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable task) {
        runningSince.put(thread, System.nanoTime());
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        runningSince.remove(Thread.currentThread());
    }

    /** Resizes the pool to the base plus the threads stuck now; called often (every 50 ms) by one scheduler. */
    void adjust() {
        long now = System.nanoTime();
        long stuck = runningSince.values().stream().filter(since -> now - since > STUCK_NANOS).count();
        int size = (int) Math.min(MAX_THREADS, base + stuck);
        if (size > getMaximumPoolSize()) {
            setMaximumPoolSize(size);
            setCorePoolSize(size); // starts threads for the queued writes at once
        } else if (size < getCorePoolSize()) {
            setCorePoolSize(size); // extra threads end when they next go idle
            setMaximumPoolSize(size);
        }
    }

    /** Threads in the pool now, busy or idle. */
    int threads() {
        return getPoolSize();
    }
}
