package io.eventstream.core.hub;

import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.ChannelPattern;
import io.eventstream.core.event.LoggedEvent;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.history.EventHistory;
import io.eventstream.core.history.Replay;
import io.eventstream.core.metrics.Timings;
import io.eventstream.core.stream.SseFrames;
import io.eventstream.core.stream.SseStream;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Where the topic meets the streams: each event is retained in the history and broadcast to its channel's
 * subscribers, and each new subscription is replayed from the history and joined to the broadcasters.
 *
 * <p>Both happen under one lock, so a resuming client gets every event exactly once: either in its replay
 * (retained before it joined) or live (broadcast after). Nothing slow runs under the lock: sending to a stream
 * only enqueues, each event is encoded once before it is retained, the stream's connection is opened before the
 * lock is taken ({@link Admission}), and a new stream is handed to a writer after it is let go.
 */
@ApplicationScoped
public class Hub implements Inbound {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    @Inject
    Settings settings;

    @Inject
    Admission admission;

    @Inject
    Timings timings;

    @Inject
    TopicMarkers markers; // sends the markers that resumes wait for; null in a hub outside CDI unless a test sets it

    Clock clock = Clock.systemUTC();

    private final Object lock = new Object();
    private EventHistory history; // guarded by lock
    // One broadcaster per channel with a subscriber: created by the first (under the lock), released by the last
    // (when it closes, on any thread); compute() keeps the two atomic for one channel.
    private final Map<String, ChannelBroadcaster> broadcasters = new ConcurrentHashMap<>();
    // The same for pattern subscriptions, by the pattern's prefix (user/alice/* -> "user/alice/"): an event goes to
    // the broadcaster of each prefix of its channel's name that has one. Which prefix lengths to look up: those any
    // pattern ever had, added under the lock and read under it (never removed: a length with no pattern left costs a
    // lookup that misses). So delivery costs one lookup per length, however many pattern subscribers there are.
    private final Map<String, ChannelBroadcaster> patterns = new ConcurrentHashMap<>();
    private final boolean[] patternLengthSeen = new boolean[ChannelName.MAX_LENGTH + 1]; // guarded by lock
    private int[] patternLengths = new int[0]; // guarded by lock
    // The streams that have had their stream-open, with their channels: what missed() resets. Its own map, not
    // Admission's: a stream admitted but not yet through subscribe() must get its reset from its replay, after
    // stream-open, never before it. Added under the lock; removed by the stream's close action, on any thread.
    private final Map<SseStream, List<String>> subscribed = new ConcurrentHashMap<>();
    // While the node is behind the topic (fallingBehind or recover, until the link has delivered the live messages
    // queued while it read the event log: caughtUp), a client resuming from an event this node does not hold yet most
    // likely got it from another node, and the node will have it once caught up. Such streams wait here, subscribed at
    // caughtUp(), rather than being reset; so do new clients while the node has received nothing yet (at its start),
    // which would otherwise get the whole log live as it is read.
    private boolean catchingUp; // guarded by lock
    private long catchingUpSince; // guarded by lock
    private final Map<SseStream, WaitingResume> waiting = new LinkedHashMap<>(); // guarded by lock
    // The same when the node is not behind: another node may simply have delivered the event first, its listener being
    // ahead of this one's. The stream waits for a marker this node sends onto the topic once it has arrived: whatever was
    // on the topic before (that event included) reaches this node's subscription before the marker, so when the marker
    // is heard (marked) the node holds the event, or it never existed. Markers are numbered under the lock as streams
    // arrive; hearing number n frees every stream that waits for n or less, as each was waiting before n was sent.
    private final String markerTag = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    private long markersNumbered; // guarded by lock
    private final LongAdder received = new LongAdder();
    private long repeats; // guarded by lock
    private final LongAdder resets = new LongAdder();
    private final LongAdder waited = new LongAdder();

    /** For CDI. */
    public Hub() {
    }

    /** A hub outside CDI (tests, tools); {@code admission} hears of permission changes. */
    public Hub(Settings settings, Admission admission, Clock clock) {
        this.settings = settings;
        this.admission = admission;
        this.timings = Timings.NONE;
        this.clock = clock;
        createHistory();
    }

    @PostConstruct
    void createHistory() {
        history = settings.historyDurable()
                ? new EventHistory(settings.historySize(), settings.historyMaxAge(), settings.historyTotal(), clock, EventHistory.LOG_START)
                : new EventHistory(settings.historySize(), settings.historyMaxAge(), settings.historyTotal(), clock);
    }

    /** Retains and broadcasts an event from the topic; called by the node's single topic listener. */
    @Override
    public void event(ChannelEvent event) {
        event(event, 0);
    }

    /**
     * As {@link #event(ChannelEvent)}; the delivery lag, from {@code publishedAtMillis} (the broker's timestamp) to the
     * event being queued to this node's streams, is recorded once per event, not per subscriber.
     */
    @Override
    public void event(ChannelEvent event, long publishedAtMillis) {
        byte[] frame = SseFrames.of(event); // once, outside the lock, for the history and every subscriber
        long now;
        synchronized (lock) {
            now = clock.millis();
            if (!deliver(event, frame, now)) {
                return;
            }
        }
        received.increment();
        if (publishedAtMillis > 0) {
            timings.deliveryLag(Math.max(0, now - publishedAtMillis));
        }
    }

    // Under the lock. False for an event this node holds already, which is dropped: what comes from the broker may
    // repeat in corner cases (a rolling restart in CI once repeated a few events, as a node stopped while it moved events
    // from the inbox), and a client must get each event once.
    private boolean deliver(ChannelEvent event, byte[] frame, long publishedAtMillis) {
        if (!history.append(event, frame, publishedAtMillis)) {
            repeated(event);
            return false;
        }
        String channel = event.channel();
        ChannelBroadcaster broadcaster = broadcasters.get(channel);
        if (broadcaster != null) {
            broadcaster.send(frame);
        }
        for (int length : patternLengths) {
            if (length > channel.length()) {
                break; // sorted
            }
            ChannelBroadcaster matching = patterns.get(channel.substring(0, length));
            if (matching != null) {
                matching.send(frame);
            }
        }
        return true;
    }

    // Under the lock: says so at the 1st, 10th, 100th... repeat, so that a broker that repeats much is seen, not flooding.
    private void repeated(ChannelEvent event) {
        repeats++;
        if (Long.toString(repeats).matches("10*")) {
            long count = repeats;
            LOG.warning(() -> "eventstream: dropped event " + event.id() + " of channel '" + event.channel() + "', which the topic"
                    + " delivered again (" + count + " repeats dropped so far); clients got it once. The broker repeats"
                    + " an event in corner cases, e.g. when a node stops while it moves events from the inbox");
        }
    }

    /**
     * Takes in what the broker's log holds after the newest event this node received: at start (when it has received
     * nothing) the whole log, after a reconnect what was published while it was away, delivered live to the streams
     * open here. When the log no longer holds that newest event (it was pushed out by newer ones, or the broker lost
     * its log), events may be missing in between: as {@link #missed()}, then the log is taken in after the gap.
     *
     * <p>Called before the new link delivers anything, so nothing else appends meanwhile; the adapter drops the live
     * events that were already in the log.
     */
    @Override
    public int recover(List<LoggedEvent> log) {
        int from;
        synchronized (lock) {
            behind();
            from = newFrom(log);
        }
        // The new events are encoded outside the lock (streams subscribe meanwhile), then retained under it at once.
        // Nothing appended in between, so the position found above still holds: only the topic listener appends, on
        // one thread, and it is the caller (Inbound); missed() only marks a gap and changes no position.
        List<LoggedEvent> taken = log.subList(from, log.size());
        byte[][] frames = new byte[taken.size()][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = SseFrames.of(taken.get(i).event());
        }
        int delivered = 0;
        synchronized (lock) {
            for (int i = 0; i < frames.length; i++) {
                delivered += deliver(taken.get(i).event(), frames[i], taken.get(i).publishedAtMillis()) ? 1 : 0;
            }
        }
        received.add(delivered);
        return delivered;
    }

    // Under the lock: where in the log the events new to this node begin, dealing with a log that lost some.
    private int newFrom(List<LoggedEvent> log) {
        String latest = history.latestId();
        if (latest == null && log.size() >= settings.historyTotal()) {
            history.lostBeforeFirst(); // a full log has pushed older events out: a client at the start missed them
        }
        if (latest == null) {
            return 0;
        }
        int known = lastIndexOf(log, latest);
        if (known < 0) {
            LOG.warning(() -> "eventstream: the event log no longer holds event " + latest + ", the newest this node"
                    + " received; its " + subscribed.size() + " open streams get stream-reset (raise"
                    + " eventstream.history.total to bridge longer broker outages)");
            missed();
            return 0;
        }
        return known + 1;
    }

    private static int lastIndexOf(List<LoggedEvent> log, String id) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).event().id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Starts a stream on the subscription's channels: {@code stream-open}, then {@code stream-reset} for channels
     * that cannot be resumed, then the missed events, then live. The stream was admitted and its connection opened;
     * the caller checked that its reader may read the channels.
     *
     * @param lastEventId the id of the last event the client saw, or null for a new client
     */
    public void subscribe(SseStream stream, ChannelSelection subscription, String lastEventId) {
        subscribe(stream, subscription, lastEventId, true);
    }

    // mayWait: false for a stream that has waited already (see waiting), which is answered from what the node holds now.
    private void subscribe(SseStream stream, ChannelSelection subscription, String lastEventId, boolean mayWait) {
        List<String> channels = subscription.channels();
        // Under the lock the frames are only queued; the stream goes to a writer (which may wake a thread) after the
        // lock is let go, so in a connect storm the lock is held for queue and map operations only.
        boolean handOff = false;
        long marker = -1; // the marker the stream waits for, sent after the lock is let go; 0: it waits for caughtUp()
        try {
            synchronized (lock) {
                if (mayWait) {
                    marker = waits(lastEventId);
                }
                if (marker >= 0) {
                    waited.increment();
                    waiting.put(stream, new WaitingResume(subscription, lastEventId, marker));
                    // Runs at once (on this thread, re-entering the lock) when the stream is already closed.
                    stream.onClose(() -> {
                        synchronized (lock) {
                            waiting.remove(stream);
                        }
                    });
                    return;
                }
                Replay replay = history.replay(lastEventId, channels);
                // stream-open is written before any reset and replay: a client cut off right after it must resume
                // from where it was, so it carries the newest position only when there is nothing else to send.
                handOff = stream.offer(SseFrames.streamOpen(settings.retry().toMillis(), replay.isEmpty() ? replay.latestId() : lastEventId));
                if (!replay.resetChannels().isEmpty()) {
                    handOff |= stream.offer(SseFrames.streamReset(replay.resetChannels()));
                    resets.increment();
                }
                handOff |= stream.offerReplay(replay.frames());
                for (String channel : channels) {
                    // Registered inside compute(): a broadcaster its last subscriber is releasing must not be joined.
                    broadcastersOf(channel).compute(key(channel), (name, broadcaster) -> {
                        ChannelBroadcaster joined = broadcaster != null ? broadcaster : new ChannelBroadcaster();
                        joined.register(stream);
                        return joined;
                    });
                    if (ChannelPattern.isPattern(channel)) {
                        addPatternLength(ChannelPattern.prefix(channel).length());
                    }
                }
                subscribed.put(stream, channels);
            }
        } finally {
            if (handOff) {
                SseStream.drainLater(List.of(stream));
            }
            if (marker > 0) {
                sendMarker(marker, stream);
            }
        }
        stream.onClose(() -> leave(stream, channels));
    }

    // Under the lock: whether a stream resuming from lastEventId waits, and for what: -1 it does not; 0 until the node has
    // caught up (it is behind and does not hold the position, or holds nothing yet for a new client); n > 0 for marker n.
    private long waits(String lastEventId) {
        if (lastEventId == null) {
            return catchingUp && history.latestId() == null ? 0 : -1;
        }
        if (history.holds(lastEventId)) {
            return -1;
        }
        if (catchingUp) {
            return 0;
        }
        return markers != null ? ++markersNumbered : -1;
    }

    // A marker that cannot be sent frees its stream at once: it is answered from what the node holds.
    private void sendMarker(long number, SseStream stream) {
        CompletionStage<Void> sent;
        try {
            sent = markers.mark(markerTag + ":" + number);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((done, e) -> {
            if (e != null) {
                LOG.fine(() -> "eventstream: a resume could not wait for the topic (" + e + "); it is answered from what this node holds");
                free(waiting -> waiting.getKey() == stream);
            }
        });
    }

    /**
     * A marker this node sent came back from the topic: the streams that waited for it, or for an earlier one, are
     * subscribed now. Other nodes' markers are ignored.
     */
    @Override
    public void marked(String token) {
        int colon = token.lastIndexOf(':');
        if (colon < 0 || !token.substring(0, colon).equals(markerTag)) {
            return;
        }
        long number;
        try {
            number = Long.parseLong(token.substring(colon + 1));
        } catch (NumberFormatException e) {
            return;
        }
        free(waiting -> waiting.getValue().marker() > 0 && waiting.getValue().marker() <= number);
    }

    // Takes the waiting streams that match out of waiting and subscribes them, outside the lock, in the order they came.
    private List<Map.Entry<SseStream, WaitingResume>> free(Predicate<Map.Entry<SseStream, WaitingResume>> which) {
        List<Map.Entry<SseStream, WaitingResume>> freed = new ArrayList<>();
        synchronized (lock) {
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (which.test(entry)) {
                    freed.add(Map.entry(entry.getKey(), entry.getValue()));
                    it.remove();
                }
            }
        }
        // A stream closed meanwhile leaves its channels again at once (onClose).
        freed.forEach(entry -> subscribe(entry.getKey(), entry.getValue().subscription(), entry.getValue().lastEventId(), false));
        return freed;
    }

    private void leave(SseStream stream, List<String> channels) {
        subscribed.remove(stream);
        for (String channel : channels) {
            broadcastersOf(channel).computeIfPresent(key(channel),
                    (name, broadcaster) -> broadcaster.unregister(stream) ? null : broadcaster);
        }
    }

    private Map<String, ChannelBroadcaster> broadcastersOf(String channel) {
        return ChannelPattern.isPattern(channel) ? patterns : broadcasters;
    }

    private static String key(String channel) {
        return ChannelPattern.isPattern(channel) ? ChannelPattern.prefix(channel) : channel;
    }

    // Under the lock.
    private void addPatternLength(int length) {
        if (!patternLengthSeen[length]) {
            patternLengthSeen[length] = true;
            int[] lengths = Arrays.copyOf(patternLengths, patternLengths.length + 1);
            lengths[lengths.length - 1] = length;
            Arrays.sort(lengths);
            patternLengths = lengths;
        }
    }

    @Override
    public void fallingBehind() {
        synchronized (lock) {
            behind();
        }
    }

    // Under the lock.
    private void behind() {
        if (!catchingUp) {
            catchingUp = true;
            catchingUpSince = clock.millis();
        }
    }

    /** A resume that waits for the node to catch up: what {@link #subscribe} was called with. */
    private record WaitingResume(ChannelSelection subscription, String lastEventId, long marker) {
    }

    /**
     * The link has delivered every live message that was queued for this node while it caught up from the event log: a
     * resume from an event this node still does not hold is answered as usual from now on (with {@code stream-reset}),
     * and the resumes that waited for this are subscribed now, in the order they came.
     */
    @Override
    public void caughtUp() {
        long took;
        synchronized (lock) {
            if (!catchingUp) {
                return;
            }
            catchingUp = false;
            took = clock.millis() - catchingUpSince;
        }
        // Every waiting stream, those waiting for a marker too: the node now holds whatever was published before.
        List<Map.Entry<SseStream, WaitingResume>> resumes = free(waiting -> true);
        LOG.info(() -> "eventstream: caught up with the topic after " + took + " ms behind it; " + resumes.size()
                + " streams that waited for it were started");
    }

    /**
     * Why the node is not ready yet, when it is behind the topic (from {@link #fallingBehind} or {@link #recover} to
     * {@link #caughtUp}): a client resuming from an event it does not hold yet waits meanwhile.
     */
    public Optional<String> catchingUp() {
        synchronized (lock) {
            if (!catchingUp) {
                return Optional.empty();
            }
            return Optional.of("catching up: the node is reading the broker's event log and delivering what was published"
                    + " meanwhile (" + (clock.millis() - catchingUpSince) / 1000 + " s so far; " + waiting.size()
                    + " resuming streams wait for it)");
        }
    }

    @Override
    public void permissionChanged(PermissionChange change) {
        admission.permissionChanged(change);
    }

    /**
     * Events may have been published that this node never received (its broker link was lost): every open stream
     * gets {@code stream-reset} for all its channels, and no earlier position resumes any more.
     */
    @Override
    public void missed() {
        synchronized (lock) {
            history.gap();
            subscribed.forEach((stream, channels) -> stream.send(SseFrames.streamReset(channels)));
            resets.add(subscribed.size());
        }
    }

    /** Events retained on this node. */
    public int retained() {
        synchronized (lock) {
            return history.size();
        }
    }

    /**
     * The newest {@code limit} events this node retains on {@code channel}, newest last: what the admin page shows of
     * a channel. Taken under the lock, as the history is not thread-safe.
     */
    public List<ChannelEvent> recent(String channel, int limit) {
        synchronized (lock) {
            return history.recent(channel, limit);
        }
    }

    /** Events this node took in from the broker since it started: live from the topic, or from the event log. */
    public long received() {
        return received.sum();
    }

    /** {@code stream-reset}s sent to streams of this node since it started. */
    public long resets() {
        return resets.sum();
    }

    /**
     * Streams that waited before they were answered, since the node started: for the node to catch up, or for its
     * marker, as they resumed from an event it did not hold yet.
     */
    public long waitedResumes() {
        return waited.sum();
    }

    /** Channels with at least one subscriber on this node. */
    public int channelCount() {
        return broadcasters.size();
    }

    /** Pattern subscriptions on this node. */
    public int patternSubscriptionCount() {
        return patterns.values().stream().mapToInt(ChannelBroadcaster::size).sum();
    }

    /** Subscriptions on this node: a connection reading three channels counts three. */
    public int subscriptionCount() {
        return broadcasters.values().stream().mapToInt(ChannelBroadcaster::size).sum();
    }

    /** Subscribers of {@code channel} on this node. */
    public int subscribers(String channel) {
        ChannelBroadcaster broadcaster = broadcasters.get(channel);
        return broadcaster != null ? broadcaster.size() : 0;
    }

    /** Subscribers per channel on this node, for channels that have any: a copy, taken without the lock. */
    public Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new HashMap<>(broadcasters.size() * 2);
        broadcasters.forEach((channel, broadcaster) -> {
            int size = broadcaster.size();
            if (size > 0) {
                counts.put(channel, size);
            }
        });
        return counts;
    }
}
