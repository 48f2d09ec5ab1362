package io.eventstream.core.stream;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor that can tell whether its threads still get through their work: for the liveness check, which must
 * answer at once and must not call a busy pool dead. It is stalled only when tasks wait and none has finished for
 * a long time; a pool that is merely busy keeps finishing tasks.
 */
final class WatchedExecutor implements Executor {

    private final Executor pool;
    private final String name;
    // Tasks submitted and not yet finished (one the pool refuses is taken off again), and when the last one finished
    // (or the pool started). Written by submitters and by the pool's threads; read by the liveness check.
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile long lastFinishedNanos = System.nanoTime();

    WatchedExecutor(Executor pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    lastFinishedNanos = System.nanoTime();
                    unfinished.decrementAndGet();
                }
            });
        } catch (RuntimeException refused) {
            unfinished.decrementAndGet();
            throw refused;
        }
    }

    /** Why the pool looks stuck at {@code nowNanos}: tasks wait and none finished within {@code limitNanos}. */
    Optional<String> stalled(long nowNanos, long limitNanos) {
        int waiting = unfinished.get();
        long idle = nowNanos - lastFinishedNanos;
        if (waiting > 0 && idle > limitNanos) {
            return Optional.of("the " + name + " finished no task for " + TimeUnit.NANOSECONDS.toSeconds(idle) + " s with "
                    + waiting + " waiting");
        }
        return Optional.empty();
    }
}
