package io.eventstream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchedExecutorTest {

    private static final long LIMIT = TimeUnit.SECONDS.toNanos(60);

    private final List<Runnable> queued = new ArrayList<>();
    private final WatchedExecutor watched = new WatchedExecutor(queued::add, "writer pool");

    @Test
    void tasksThatWaitWithNoneFinishingForTheLimitAreStalled() {
        watched.execute(() -> { });
        long later = System.nanoTime() + LIMIT + TimeUnit.SECONDS.toNanos(1);
        Optional<String> stalled = watched.stalled(later, LIMIT);
        assertTrue(stalled.isPresent());
        assertTrue(stalled.get().startsWith("the writer pool finished no task for 6"), stalled.get());
        assertTrue(stalled.get().endsWith("with 1 waiting"), stalled.get());
    }

    @Test
    void aPoolThatFinishesItsTasksIsNotStalledHoweverLongItIsIdle() {
        watched.execute(() -> { });
        queued.forEach(Runnable::run);
        assertEquals(Optional.empty(), watched.stalled(System.nanoTime() + 10 * LIMIT, LIMIT));
    }

    @Test
    void waitingTasksAreNotStalledWhileSomeFinishedWithinTheLimit() {
        watched.execute(() -> { });
        watched.execute(() -> { });
        queued.get(0).run();
        assertEquals(Optional.empty(), watched.stalled(System.nanoTime(), LIMIT));
    }

    @Test
    void aTaskThePoolRefusesIsNotCountedAsWaiting() {
        WatchedExecutor refusing = new WatchedExecutor(task -> {
            throw new RejectedExecutionException("stopping");
        }, "writer pool");
        assertThrows(RejectedExecutionException.class, () -> refusing.execute(() -> { }));
        assertEquals(Optional.empty(), refusing.stalled(System.nanoTime() + 10 * LIMIT, LIMIT));
    }
}
