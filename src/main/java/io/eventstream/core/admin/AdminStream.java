package io.eventstream.core.admin;

import io.eventstream.core.access.Caller;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.presence.ClusterPresence;
import io.eventstream.core.stream.ClientConnection;
import io.eventstream.core.stream.SseFrames;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.SseStreams;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin page's live feed: an SSE stream per open admin page, through the same {@link Admission} as every other
 * stream, that gets {@code stream-open}, then one {@code cluster} event ({@link ClusterSnapshot}) at once and one
 * every second.
 *
 * <p>The snapshot is built and encoded once per second for all open admin pages, by one task on the streams' shared
 * scheduler, which starts with the first admin page and runs while the node does.
 */
@ApplicationScoped
public class AdminStream {

    private static final Logger LOG = Logger.getLogger(AdminStream.class.getName());
    /** The event type of the feed's snapshots. */
    public static final String EVENT = "cluster";
    /** The busiest channels a snapshot names. */
    public static final int BUSIEST = 10;
    static final long PERIOD_MILLIS = 1000;

    @Inject
    ClusterPresence presence;

    @Inject
    Admission admission;

    @Inject
    SseStreams streams;

    @Inject
    Settings settings;

    Clock clock = Clock.systemUTC();
    long periodMillis = PERIOD_MILLIS;

    // Added after a stream's first snapshot is queued, removed by its close action, on any thread; the tick iterates
    // a weakly consistent view, so a stream added meanwhile gets the next tick's snapshot at the latest.
    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> ticks; // guarded by this

    /**
     * Opens the feed for one admin page, or throws {@code too-many-requests} when the node has no room; the caller
     * checked the admin token.
     */
    public void open(Supplier<ClientConnection> connect) {
        SseStream stream = admission.open(Caller.ANONYMOUS, List.of(), "admin page", connect);
        stream.send(SseFrames.streamOpen(settings.retry().toMillis(), null));
        stream.send(snapshot());
        open.add(stream);
        stream.onClose(() -> open.remove(stream)); // runs at once if it closed already, so none is left behind
        startTicks();
    }

    private synchronized void startTicks() {
        if (ticks == null) {
            ticks = streams.scheduler().scheduleAtFixedRate(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    // On the shared scheduler: reads the presence's counts (no waiting on locks held long, no I/O) and only queues
    // frames; a task that threw would never run again, so a failure is logged and the next second tries afresh.
    void tick() {
        if (open.isEmpty()) {
            return;
        }
        try {
            byte[] frame = snapshot();
            for (SseStream stream : open) {
                stream.send(frame);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eventstream: the admin page's snapshot failed; trying again in a second", e);
        }
    }

    private byte[] snapshot() {
        return SseFrames.of(EVENT, ClusterSnapshot.json(presence.nodes(), presence.busiest(BUSIEST), clock.millis()));
    }

    @PreDestroy
    synchronized void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
