package io.eventstream.core.history;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.ChannelPattern;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events this node received, per channel, bounded by count per channel, by age, and by a total.
 *
 * <p>Positions are node-local sequence numbers given in the order the topic delivers, which is the same on
 * every node sharing one broker; a client names its position by the id of the last event it saw, which is
 * the same everywhere. Not thread-safe: the caller serializes appends and replays (the hub's lock).
 *
 * <p>Why a known id is enough to resume every channel exactly: age and total limits evict in receive
 * order, so while the client's last event is retained nothing newer was evicted that way; only the
 * per-channel count can evict newer events, and each channel records the newest position it lost.
 */
public final class EventHistory {

    private static final class Retained {
        final long seq;
        final ChannelEvent event;
        final byte[] frame;
        final long receivedAt;
        boolean evicted;

        Retained(long seq, ChannelEvent event, byte[] frame, long receivedAt) {
            this.seq = seq;
            this.event = event;
            this.frame = frame;
            this.receivedAt = receivedAt;
        }
    }

    private static final class ChannelLog {
        final Deque<Retained> entries = new ArrayDeque<>();
        long lostUpTo;
    }

    private final int perChannel;
    private final long maxAgeMillis;
    private final int total;
    private final Clock clock;
    private final Map<String, ChannelLog> channels = new HashMap<>();
    private final Deque<Retained> all = new ArrayDeque<>();
    private final Map<String, Retained> byId = new HashMap<>();
    private long nextSeq = 1;
    private long gapAt = -1; // positions up to here may have missed events this node never received
    private boolean evictedAny;
    // The position before the first event: what stream-open carries on a node that has received nothing yet.
    private final String startId;
    private int retained;
    private String latestId;

    /**
     * The position before the first event of a history that begins with the broker's event log: the same on every node
     * and across restarts, since each of them begins with the same log.
     */
    public static final String LOG_START = "log-start";

    /** A history of this node alone, whose start position is its own. */
    public EventHistory(int perChannel, Duration maxAge, int total, Clock clock) {
        this(perChannel, maxAge, total, clock, "start-" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36));
    }

    /** A history whose position before the first event is {@code startId}. */
    public EventHistory(int perChannel, Duration maxAge, int total, Clock clock, String startId) {
        this.startId = startId;
        this.perChannel = perChannel;
        this.maxAgeMillis = maxAge.toMillis();
        this.total = total;
        this.clock = clock;
    }

    /**
     * Retains an event just received from the topic with its encoded frame (so a replay reuses the bytes every live
     * subscriber got), evicting what the bounds no longer allow.
     */
    public boolean append(ChannelEvent event, byte[] frame) {
        return append(event, frame, clock.millis());
    }

    /**
     * Retains an event published at {@code publishedAtMillis} (read back from the broker's log), which counts for the age
     * limit; a time ahead of this node's clock counts as now.
     *
     * @return false, retaining nothing, when an event with this id is retained already: a repeat, which the caller must
     *         not deliver either (ids are unique, see {@code EventIds})
     */
    public boolean append(ChannelEvent event, byte[] frame, long publishedAtMillis) {
        Retained known = byId.get(event.id());
        if (known != null && !known.evicted) {
            return false;
        }
        latestId = event.id();
        if (perChannel <= 0 || total <= 0) {
            return true;
        }
        Retained entry = new Retained(nextSeq++, event, frame, Math.min(publishedAtMillis, clock.millis()));
        ChannelLog log = channels.computeIfAbsent(event.channel(), name -> new ChannelLog());
        log.entries.addLast(entry);
        all.addLast(entry);
        byId.put(event.id(), entry);
        retained++;
        if (log.entries.size() > perChannel) {
            evict(log.entries.peekFirst());
            if (all.size() > 2 * retained + 1024) {
                all.removeIf(old -> old.evicted); // entries a busy channel evicted must not pile up behind an old one
            }
        }
        evictOldest();
        return true;
    }

    /**
     * What a client that last saw {@code lastEventId} (null for a new client) missed on {@code wanted}: the
     * retained events after it, and the channels for which that is not everything.
     *
     * <p>{@code wanted} may hold patterns ({@link ChannelPattern}): every retained channel they match is replayed as if
     * named. That is complete: a channel this history no longer holds at all lost its events to the age or total
     * limits, which evict in receive order, so all of them are older than a client's retained last event. A pattern
     * costs a walk over the retained channels' names.
     */
    public Replay replay(String lastEventId, Collection<String> wanted) {
        evictOldest();
        if (lastEventId == null) {
            return Replay.nothing(position());
        }
        long lastSeq;
        if (lastEventId.equals(startId)) {
            lastSeq = 0;
            if (evictedAny) {
                return Replay.reset(wanted, position());
            }
        } else {
            Retained last = byId.get(lastEventId);
            if (last == null || last.evicted) {
                // Older than anything retained (or from before this node started): nothing can be proven complete.
                return Replay.reset(wanted, position());
            }
            lastSeq = last.seq;
        }
        if (lastSeq <= gapAt) {
            return Replay.reset(wanted, position());
        }
        List<Retained> missed = new ArrayList<>();
        List<String> reset = new ArrayList<>();
        for (String channel : named(wanted)) {
            ChannelLog log = channels.get(channel);
            if (log == null) {
                continue;
            }
            if (log.lostUpTo > lastSeq) {
                reset.add(channel);
                continue;
            }
            for (var it = log.entries.descendingIterator(); it.hasNext(); ) {
                Retained entry = it.next();
                if (entry.seq <= lastSeq) {
                    break;
                }
                missed.add(entry);
            }
        }
        missed.sort(Comparator.comparingLong(entry -> entry.seq));
        return new Replay(missed.stream().map(entry -> entry.event).toList(), missed.stream().map(entry -> entry.frame).toList(),
                reset, position());
    }

    // The channels wanted: the names, and the retained channels the patterns match.
    private Collection<String> named(Collection<String> wanted) {
        if (wanted.stream().noneMatch(ChannelPattern::isPattern)) {
            return wanted;
        }
        Set<String> named = new LinkedHashSet<>();
        for (String entry : wanted) {
            if (!ChannelPattern.isPattern(entry)) {
                named.add(entry);
                continue;
            }
            for (String channel : channels.keySet()) {
                if (ChannelPattern.matches(entry, channel)) {
                    named.add(channel);
                }
            }
        }
        return named;
    }

    // The newest event's id, or before any event the node's start position: never null, so that a client
    // cut off before its first event still resumes from where it was.
    private String position() {
        return latestId != null ? latestId : startId;
    }

    /**
     * Records that events may have been missed here (the node lost its broker connection): no position
     * received so far can be resumed exactly any more.
     */
    public void gap() {
        gapAt = nextSeq - 1;
    }

    /**
     * Records that events before the first one appended were lost (the event log this history began with was full,
     * so it had pushed older ones out): the start position no longer resumes exactly.
     */
    public void lostBeforeFirst() {
        evictedAny = true;
    }

    /**
     * The newest {@code limit} events retained on {@code channel}, oldest first (newest last); none for a channel with
     * nothing retained. What the bounds evicted is not there, as for a replay.
     */
    public List<ChannelEvent> recent(String channel, int limit) {
        evictOldest();
        ChannelLog log = channels.get(channel);
        if (log == null || limit <= 0) {
            return List.of();
        }
        List<ChannelEvent> newestFirst = new ArrayList<>(Math.min(limit, log.entries.size()));
        for (var it = log.entries.descendingIterator(); it.hasNext() && newestFirst.size() < limit; ) {
            newestFirst.add(it.next().event);
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Whether a client that last saw {@code id} is at a position of this history: a retained event, or the start. */
    public boolean holds(String id) {
        if (id.equals(startId)) {
            return true;
        }
        evictOldest();
        Retained entry = byId.get(id);
        return entry != null && !entry.evicted;
    }

    /** The id of the newest event received, or null before the first. */
    public String latestId() {
        return latestId;
    }

    /** Events retained on this node. */
    public int size() {
        return retained;
    }

    // Age and total evict in receive order, from the head of the global queue.
    private void evictOldest() {
        long oldestAllowed = clock.millis() - maxAgeMillis;
        Retained head;
        while ((head = all.peekFirst()) != null
                && (head.evicted || retained > total || head.receivedAt < oldestAllowed)) {
            all.pollFirst();
            if (!head.evicted) {
                evict(head);
            }
        }
    }

    // The entry is the oldest of its channel: per-channel logs are in receive order too.
    private void evict(Retained entry) {
        ChannelLog log = channels.get(entry.event.channel());
        log.entries.pollFirst();
        log.lostUpTo = entry.seq;
        entry.evicted = true;
        evictedAny = true;
        retained--;
        byId.remove(entry.event.id(), entry);
        if (log.entries.isEmpty()) {
            channels.remove(entry.event.channel());
        }
    }
}
