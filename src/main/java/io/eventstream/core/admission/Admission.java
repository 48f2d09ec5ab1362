package io.eventstream.core.admission;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.access.AccessPolicy;
import io.eventstream.core.access.Caller;
import io.eventstream.core.access.ChannelPatterns;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelPattern;
import io.eventstream.core.event.PermissionChange;
import io.eventstream.core.limits.LogThrottle;
import io.eventstream.core.limits.RetryLater;
import io.eventstream.core.stream.ClientConnection;
import io.eventstream.core.stream.SseFrames;
import io.eventstream.core.stream.SseStream;
import io.eventstream.core.stream.SseStreams;
import io.eventstream.core.stream.StreamEnd;
import io.eventstream.core.stream.StreamSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Opens every stream of the node, channel or custom, and keeps the rules that hold for as long as it is open: the
 * node's, each user's and each anonymous client address's connection limits, the expiry of the reader's token, and
 * revocation.
 *
 * <p>Access to the channels themselves is decided before (see {@link AccessPolicy}); this decides whether there is
 * room, opens the connection only then, and ends the stream when its token expires or its reader loses access. When
 * a stream ends it logs one line saying what it did and why it ended ({@link StreamEndLine}), and counts the reason.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class.getName());

    @Inject
    Settings settings;

    @Inject
    SseStreams streams;

    @Inject
    AccessPolicy access;

    Clock clock = Clock.systemUTC();

    // Counted when a stream is admitted, before its connection opens, and released by its close action: a
    // count, not a scan of open streams, so a burst of connects cannot all slip under the limit at once.
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger admittedCustom = new AtomicInteger(); // of them, custom streams (no channel)
    private final LongAdder turnedAway = new LongAdder();
    private final Map<StreamEnd, LongAdder> ends = new EnumMap<>(StreamEnd.class);
    private final LongAdder turnedAwayPerAddress = new LongAdder();
    // Anonymous streams are counted by their client's address, known users by their name (never both: a user's
    // streams from behind one NAT are the user's business, bounded by eventstream.connections.max-per-user).
    private final CountsPerKey perUser = new CountsPerKey();
    private final CountsPerKey perAddress = new CountsPerKey();
    private final LogThrottle addressRefusals = new LogThrottle(Duration.ofSeconds(10), System.nanoTime());
    private final Map<SseStream, Admitted> open = new ConcurrentHashMap<>();

    /** What an open stream was admitted for: whom, and which channels (none for a custom stream). */
    private record Admitted(Caller who, List<String> channels) {
    }

    /** For CDI. */
    public Admission() {
        for (StreamEnd why : StreamEnd.values()) {
            ends.put(why, new LongAdder());
        }
    }

    /** An admission outside CDI (tests, tools). */
    public Admission(Settings settings, SseStreams streams, AccessPolicy access, Clock clock) {
        this();
        this.settings = settings;
        this.streams = streams;
        this.access = access;
        this.clock = clock;
    }

    /**
     * Opens a stream for {@code who} on {@code channels}, or throws {@code too-many-requests} when the node or the
     * user has no room left; the connection is opened only once admitted. Nothing is queued on it yet.
     *
     * @param channels the channels it reads (already allowed); empty for a custom stream
     * @param label    what it reads, for log lines
     * @param connect  opens the connection: called once, only when admitted
     */
    public SseStream open(Caller who, List<String> channels, String label, Supplier<ClientConnection> connect) {
        boolean custom = channels.isEmpty();
        String counted = reserve(who, custom);
        SseStream stream;
        try {
            stream = streams.open(connect.get(), label, summary -> ended(who, channels, label, summary));
        } catch (RuntimeException e) {
            release(who, counted, custom);
            throw e;
        }
        open.put(stream, new Admitted(who, channels));
        ScheduledFuture<?> expiry = scheduleExpiry(stream, who);
        stream.onClose(() -> {
            open.remove(stream);
            release(who, counted, custom);
            if (expiry != null) {
                expiry.cancel(false);
            }
        });
        return stream;
    }

    // On a writer, once the stream's connection is closed.
    private void ended(Caller who, List<String> channels, String label, StreamSummary summary) {
        ends.get(summary.why()).increment();
        LOG.info(() -> StreamEndLine.of(who.user(), channels, label, summary));
    }

    // Counts the stream against the node's limit, then its user's or (anonymous) its address's; returns the address
    // it was counted by, or null. Every count taken is given back by release(), on the stream's close action.
    private String reserve(Caller who, boolean custom) {
        int max = settings.maxConnections();
        if (admitted.incrementAndGet() > max) {
            admitted.decrementAndGet();
            turnedAway.increment();
            throw new EventStreamException(Refusal.TOO_MANY_REQUESTS, "this node holds its maximum of " + max
                    + " streams (eventstream.connections.max); try again later or another node");
        }
        String user = who.user();
        if (user != null) {
            int maxPerUser = settings.maxConnectionsPerUser();
            if (!perUser.tryAdd(user, maxPerUser)) {
                admitted.decrementAndGet();
                turnedAway.increment();
                throw new EventStreamException(Refusal.TOO_MANY_REQUESTS, "'" + user + "' already has " + maxPerUser
                        + " streams open on this node (eventstream.connections.max-per-user)");
            }
            countCustom(custom, 1);
            return null;
        }
        int maxPerAddress = settings.maxConnectionsPerIp();
        String address = maxPerAddress == 0 ? null : who.address();
        if (address != null && !perAddress.tryAdd(address, maxPerAddress)) {
            admitted.decrementAndGet();
            turnedAwayPerAddress.increment();
            throw refusedAddress(address, maxPerAddress);
        }
        countCustom(custom, 1);
        return address;
    }

    // The refusal of an address over its limit, logged at most once per 10 s for the node (a flood of connects from
    // one address is a flood of refusals: the line says how many it stands for).
    private RetryLater refusedAddress(String address, int max) {
        long held = addressRefusals.admit(System.nanoTime());
        if (held >= 0) {
            LOG.warning(() -> "eventstream: refused an anonymous stream from " + address + ": it holds the most streams one"
                    + " address may open on this node, eventstream.connections.max-per-ip=" + max
                    + (held > 0 ? " (and " + held + " more refusals of this limit since the last line)" : "")
                    + "; raise eventstream.connections.max-per-ip if that address is many clients (a NAT), or, if it is"
                    + " your proxy, add it to eventstream.proxies.trusted");
        }
        return new RetryLater(address + " already has " + max + " anonymous streams open on this node"
                + " (eventstream.connections.max-per-ip); close one or try again later", 10);
    }

    private void countCustom(boolean custom, int delta) {
        if (custom) {
            admittedCustom.addAndGet(delta);
        }
    }

    private void release(Caller who, String address, boolean custom) {
        countCustom(custom, -1);
        admitted.decrementAndGet();
        if (who.user() != null) {
            perUser.remove(who.user());
        }
        if (address != null) {
            perAddress.remove(address);
        }
    }

    // A stream read with a token that expires ends when the token does, as if access had been revoked.
    private ScheduledFuture<?> scheduleExpiry(SseStream stream, Caller who) {
        if (who.token() == null || who.token().expiresAt() == null) {
            return null;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), who.token().expiresAt()).toMillis());
        return streams.scheduler().schedule(() -> stream.closeAfter(SseFrames.streamError(Refusal.UNAUTHORIZED,
                "the subscriber token expired: reconnect with a new one"), StreamEnd.EXPIRED), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks the access policy again for {@code change.user()}'s open streams (on {@code change.channel()}, or on all
     * their channels) and ends those that lost access with {@code stream-error} {@code forbidden}.
     */
    public void permissionChanged(PermissionChange change) {
        open.forEach((stream, reader) -> {
            if (!change.user().equals(reader.who().user())
                    || (change.channel() != null && !reads(reader.channels(), change.channel()))) {
                return;
            }
            List<String> lost = reader.channels().stream().filter(channel -> !access.canRead(reader.who(), channel)).toList();
            if (!lost.isEmpty()) {
                stream.closeAfter(SseFrames.streamError(Refusal.FORBIDDEN, "no longer allowed to read " + String.join(", ", lost)),
                        StreamEnd.REVOKED);
            }
        });
    }

    /**
     * The known users (not anonymous readers) of this node's open streams, per channel, for the channels
     * {@code channels} matches: who presence events are about.
     */
    public Map<String, Set<String>> users(ChannelPatterns channels) {
        Map<String, Set<String>> users = new HashMap<>();
        if (channels.isEmpty()) {
            return users; // the usual case: no presence events, no walk over every open stream
        }
        open.values().forEach(reader -> {
            String user = reader.who().user();
            if (user == null) {
                return;
            }
            for (String channel : reader.channels()) {
                // A pattern subscription is not presence on a channel: nobody knows which channels it will read.
                if (!ChannelPattern.isPattern(channel) && channels.matches(channel)) {
                    users.computeIfAbsent(channel, name -> new HashSet<>()).add(user);
                }
            }
        });
        return users;
    }

    // Whether a stream reading `channels` (names and patterns) reads `channel`.
    private static boolean reads(List<String> channels, String channel) {
        for (String read : channels) {
            if (read.equals(channel) || ChannelPattern.isPattern(read) && ChannelPattern.matches(read, channel)) {
                return true;
            }
        }
        return false;
    }

    /** SseStreams open on this node, channel and custom. */
    public int count() {
        return admitted.get();
    }

    /** Custom streams open on this node (reading no channel); the others read channels. */
    public int customCount() {
        return admittedCustom.get();
    }

    /** Streams that ended for {@code why} since the node started. */
    public long ended(StreamEnd why) {
        return ends.get(why).sum();
    }

    /** Streams the hub cut off since the node started: those that ended for a reason that {@link StreamEnd#dropped()}. */
    public long dropped() {
        long dropped = 0;
        for (StreamEnd why : StreamEnd.values()) {
            if (why.dropped()) {
                dropped += ended(why);
            }
        }
        return dropped;
    }

    /** Streams refused because the node or their user had no room left (eventstream.connections.max, .max-per-user). */
    public long turnedAway() {
        return turnedAway.sum();
    }

    /** Anonymous streams refused because their address had no room left (eventstream.connections.max-per-ip). */
    public long turnedAwayPerAddress() {
        return turnedAwayPerAddress.sum();
    }

    /** Anonymous streams open on this node from {@code address} (as the client's address is written). */
    public int countFrom(String address) {
        return perAddress.count(address);
    }
}
