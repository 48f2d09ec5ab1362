package io.eventstream.adapter.jms;

import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.hub.Inbound;
import io.eventstream.core.presence.ClusterPresence;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the tests that link nodes to a real broker share: a node's listener, and waiting for what reaches it. */
final class LinkFixtures {

    private LinkFixtures() {
    }

    /** A node's topic listener handing on to {@code inbound}, with a presence of its own (default settings). */
    static TopicListener listener(Inbound inbound) {
        Settings settings = Settings.of(Map.of());
        Clock clock = Clock.systemUTC();
        Admission admission = new Admission(settings, null, null, clock);
        return new TopicListener(inbound, new ClusterPresence(settings, new Hub(settings, admission, clock), admission, null, clock));
    }

    /**
     * Waits on {@code monitor}, whose lock the caller holds and whose {@code notifyAll} follows each change, until
     * {@code done}; fails after 60 s saying what {@code seen} reports.
     */
    static void awaitUntil(Object monitor, BooleanSupplier done, Supplier<String> seen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError(seen.get());
            }
            monitor.wait(left);
        }
    }
}
