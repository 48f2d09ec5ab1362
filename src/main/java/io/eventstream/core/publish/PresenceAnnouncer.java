package io.eventstream.core.publish;

import io.eventstream.core.config.ContainerThreads;
import io.eventstream.core.config.Settings;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.presence.NodeLoad;
import io.eventstream.core.presence.NodeReport;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Announces this node to the cluster once a second over the topic ({@link NodeReport}: its load, and what changed in
 * its subscriber counts), and, on the node that leads them, sends the presence events ({@link PresenceEvents}).
 *
 * <p>Runs on its own timer thread: in {@code container} mode a send waits for the server's broker.
 */
@ApplicationScoped
public class PresenceAnnouncer {

    private static final Logger LOG = Logger.getLogger(PresenceAnnouncer.class.getName());
    // A full report this often at least, whatever else happens: what any node missed is mended by then.
    private static final long FULL_EVERY_MILLIS = 30_000;

    @Inject
    ClusterPresence presence;

    @Inject
    Outbound topic;

    @Inject
    Settings settings;

    Clock clock = Clock.systemUTC();
    ThreadFactory threadFactory; // null: the container's (ContainerThreads)

    private ScheduledExecutorService timer;
    private PresenceEvents events; // null: no channel has presence events
    // The timer thread's own state: what the last report said, to send only what changed.
    private long seq;
    private long fullAt;
    private Map<String, Integer> sentCounts = Map.of();
    private Map<String, Set<String>> sentUsers = Map.of();
    private volatile boolean failing;

    /** For CDI. */
    public PresenceAnnouncer() {
    }

    /** An announcer outside CDI (tests): {@link #tick()} is called by hand. */
    public PresenceAnnouncer(ClusterPresence presence, Outbound topic, Settings settings, Clock clock) {
        this.presence = presence;
        this.topic = topic;
        this.settings = settings;
        this.clock = clock;
        events = eventsOrNull();
    }

    void start(@Observes Startup startup) {
        events = eventsOrNull();
        timer = Executors.newSingleThreadScheduledExecutor(threadFactory != null ? threadFactory : ContainerThreads.factory());
        timer.scheduleAtFixedRate(this::tickQuietly, ClusterPresence.INTERVAL_MILLIS, ClusterPresence.INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private PresenceEvents eventsOrNull() {
        return settings.presenceEvents().isPresent()
                ? new PresenceEvents(presence, topic, settings.keepAlive().toMillis(), clock) : null;
    }

    // A task of a scheduled executor that throws is never run again: nothing may escape.
    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: announcing this node's presence failed; trying again in a second", e);
        }
    }

    /** Announces this node, then sends the presence events when it leads them. One thread at a time. */
    public void tick() {
        long now = clock.millis();
        NodeLoad load = presence.sample();
        if (topic.failure().isPresent()) {
            // The broker is down (and says so: /status, health, its log line); nothing is sent, so the next report
            // carries every change since the last one sent, with the next number: no report is missing.
            return;
        }
        Map<String, Integer> counts = presence.localCounts();
        Map<String, Set<String>> users = presence.localUsers();
        boolean full = seq == 0 || presence.takeFullWanted() || now - fullAt >= FULL_EVERY_MILLIS;
        NodeReport report = new NodeReport(presence.node(), presence.startedAt(), now, seq++, full,
                presence.takeResendWanted(), false, load, full ? counts : changes(sentCounts, counts, 0),
                full ? users : changes(sentUsers, users, Set.of()));
        if (full) {
            fullAt = now;
        }
        sentCounts = counts;
        sentUsers = users;
        // A report that fails is missed by the others, who ask for a full one when the next arrives.
        topic.announce(report.toJson()).whenComplete((sent, failure) -> reportFailure(failure));
        if (events != null) {
            events.tick();
        }
    }

    private void reportFailure(Throwable failure) {
        if (failure != null && !failing) {
            failing = true;
            LOG.warning(() -> "eventstream: the other nodes do not hear this node's presence: " + failure.getMessage());
        } else if (failure == null && failing) {
            failing = false;
            LOG.info("eventstream: the other nodes hear this node's presence again");
        }
    }

    // What changed from before to now: the new values, and `gone` for keys that are no longer there.
    static <V> Map<String, V> changes(Map<String, V> before, Map<String, V> now, V gone) {
        Map<String, V> changed = new HashMap<>();
        now.forEach((key, value) -> {
            if (!Objects.equals(before.get(key), value)) {
                changed.put(key, value);
            }
        });
        before.keySet().forEach(key -> {
            if (!now.containsKey(key)) {
                changed.put(key, gone);
            }
        });
        return changed;
    }

    /** Tells the others this node is going, so that its subscribers stop counting at once. */
    @PreDestroy
    void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            NodeReport leaving = new NodeReport(presence.node(), presence.startedAt(), clock.millis(), seq, true, false, true,
                    presence.sample(), Map.of(), Map.of());
            topic.announce(leaving.toJson()).toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.fine(() -> "eventstream: could not tell the other nodes this one is leaving (they will notice within "
                    + "seconds): " + e);
        }
    }
}
