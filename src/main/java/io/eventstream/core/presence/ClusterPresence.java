package io.eventstream.core.presence;

import io.eventstream.core.access.ChannelPatterns;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.hub.Hub;
import io.eventstream.core.stream.SseStreams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster as this node sees it: its own subscribers, load and users, live, and every other node's from its
 * latest announcement over the topic ({@link NodeReport}), so that counts agree on every node within about a second.
 *
 * <p>Threads: {@link #apply} and {@link #observed} run on the topic listener's thread (one at a time, in the broker's
 * order); everything else on any thread. Each other node's state is an immutable {@link Known} replaced whole in a
 * concurrent map, so a reader sees one report's numbers or the next one's, never half of each.
 */
@ApplicationScoped
public class ClusterPresence {

    /** How often every node announces itself, in milliseconds. */
    public static final long INTERVAL_MILLIS = 1_000;
    // A node not heard from for this long is gone (it crashed, or lost its broker link): its subscribers no longer count.
    static final long EXPIRY_MILLIS = 5_000;
    // A node leads the presence events only once it has been up this long: by then it has heard the older nodes.
    static final long WARM_UP_MILLIS = 2 * INTERVAL_MILLIS + 500;

    @Inject
    Settings settings;

    @Inject
    Hub hub;

    @Inject
    Admission admission;

    @Inject
    SseStreams streams;

    Clock clock = Clock.systemUTC();

    private final String node = nodeId();
    private long startedAt;
    private ChannelPatterns presenceChannels;
    private final Map<String, Known> others = new ConcurrentHashMap<>();
    // Users with a presence-join on the topic and no presence-leave after it, per channel: what every node saw, in the
    // same order, so whichever node leads next knows who was announced. Written by the topic listener only.
    private final Map<String, Set<String>> announced = new ConcurrentHashMap<>();
    private volatile long echoedAt = -1; // when this node's own report last came back over the topic
    private volatile boolean fullWanted; // a node appeared: send it everything
    private volatile boolean resendWanted; // a report of another node was lost: ask for everything
    private volatile Sample latest;
    private volatile Sample previous;

    /** Another node's state from its reports, with the load of the report before, for rates. */
    private record Known(NodeReport report, long heardAt, Map<String, Integer> counts, Map<String, Set<String>> users,
                         boolean gap, NodeLoad previousLoad, long previousAt) {
    }

    /** This node's load at one moment. */
    private record Sample(NodeLoad load, long at) {
    }

    /** For CDI. */
    public ClusterPresence() {
    }

    /** A view outside CDI (tests, tools). */
    public ClusterPresence(Settings settings, Hub hub, Admission admission, SseStreams streams, Clock clock) {
        this.settings = settings;
        this.hub = hub;
        this.admission = admission;
        this.streams = streams;
        this.clock = clock;
        start();
    }

    @PostConstruct
    void start() {
        startedAt = clock.millis();
        presenceChannels = ChannelPatterns.parse(settings.presenceEvents().orElse(null));
        latest = new Sample(NodeLoad.NONE, startedAt);
        previous = latest;
    }

    /** This node's id, unique per start. */
    public String node() {
        return node;
    }

    /** When this node started (epoch millis). */
    public long startedAt() {
        return startedAt;
    }

    /** The channels with presence events ({@code eventstream.presence.events}). */
    public ChannelPatterns presenceChannels() {
        return presenceChannels;
    }

    /** Subscribers of {@code channel} across the cluster: this node's now, the others' as they last announced. */
    public int subscribers(String channel) {
        int count = hub.subscribers(channel);
        long now = clock.millis();
        for (Known known : others.values()) {
            if (alive(known, now)) {
                count += known.counts.getOrDefault(channel, 0);
            }
        }
        return count;
    }

    /** The {@code limit} channels with the most subscribers across the cluster, most first. */
    public List<ChannelCount> busiest(int limit) {
        Map<String, Integer> all = hub.subscriberCounts();
        long now = clock.millis();
        for (Known known : others.values()) {
            if (alive(known, now)) {
                known.counts.forEach((channel, count) -> all.merge(channel, count, Integer::sum));
            }
        }
        return all.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(entry -> new ChannelCount(entry.getKey(), entry.getValue())).toList();
    }

    /** Every live node, this one included, by id. */
    public List<NodeStatus> nodes() {
        long now = clock.millis();
        List<NodeStatus> nodes = new ArrayList<>();
        Sample last = latest;
        Sample before = previous;
        NodeLoad load = currentLoad();
        nodes.add(status(node, true, echoedAt >= 0 && now - echoedAt <= EXPIRY_MILLIS ? "up" : "unlinked", startedAt, now,
                load, last.load, before.load, last.at - before.at));
        for (Known known : others.values()) {
            if (alive(known, now)) {
                NodeReport report = known.report;
                nodes.add(status(report.node(), false, "up", report.startedAt(), report.at(), report.load(),
                        report.load(), known.previousLoad, report.at() - known.previousAt));
            }
        }
        nodes.sort(Comparator.comparing(NodeStatus::node));
        return nodes;
    }

    private static NodeStatus status(String node, boolean self, String state, long startedAt, long at, NodeLoad load,
                                     NodeLoad rateTo, NodeLoad rateFrom, long rateMillis) {
        double seconds = rateMillis > 0 ? rateMillis / 1000.0 : Double.POSITIVE_INFINITY;
        return new NodeStatus(node, self, state, startedAt, at, load.connections(), load.channels(), load.eventsIn(),
                load.eventsOut(), load.resets(), load.drops(),
                Math.max(0, rateTo.eventsIn() - rateFrom.eventsIn()) / seconds,
                Math.max(0, rateTo.eventsOut() - rateFrom.eventsOut()) / seconds);
    }

    /** This node's load now. */
    NodeLoad currentLoad() {
        return new NodeLoad(streams.count(), hub.channelCount(), hub.received(), streams.delivered(), hub.resets(),
                admission.dropped());
    }

    /** Takes this node's load for its report, and keeps it for its rates. Called by the announcer, once a second. */
    public NodeLoad sample() {
        long now = clock.millis();
        // Conditional removals (the map's values view removes an entry only while it still holds the value seen): a
        // report the topic thread puts meanwhile stays.
        others.values().removeIf(known -> !alive(known, now));
        NodeLoad load = currentLoad();
        previous = latest;
        latest = new Sample(load, now);
        return load;
    }

    /** Subscribers per channel on this node. */
    public Map<String, Integer> localCounts() {
        return hub.subscriberCounts();
    }

    /** Known users per channel with presence events, on this node. */
    public Map<String, Set<String>> localUsers() {
        return admission.users(presenceChannels);
    }

    /**
     * Known users per channel with presence events, across the cluster: those of this node's streams now, and of
     * the other nodes' as they last announced.
     */
    public Map<String, Set<String>> users() {
        Map<String, Set<String>> all = localUsers();
        long now = clock.millis();
        for (Known known : others.values()) {
            if (alive(known, now)) {
                known.users.forEach((channel, names) -> all.computeIfAbsent(channel, name -> new HashSet<>()).addAll(names));
            }
        }
        return all;
    }

    /** The users announced present per channel: a {@code presence-join} seen on the topic, and no leave after it. */
    public Map<String, Set<String>> announced() {
        return announced;
    }

    /**
     * Whether this node sends the cluster's presence events: the oldest live node does, once it has been up long
     * enough to have heard the others, and while its own reports come back over the topic.
     */
    public boolean leads() {
        long now = clock.millis();
        if (now - startedAt < WARM_UP_MILLIS || echoedAt < 0 || now - echoedAt > EXPIRY_MILLIS) {
            return false;
        }
        for (Known known : others.values()) {
            NodeReport other = known.report;
            if (alive(known, now) && (other.startedAt() < startedAt
                    || other.startedAt() == startedAt && other.node().compareTo(node) < 0)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a node appeared since the last call: this node's next report is then a full one. */
    public boolean takeFullWanted() {
        boolean wanted = fullWanted;
        fullWanted = false;
        return wanted;
    }

    /** Whether a report of another node was lost since the last call: this node's next report asks for full ones. */
    public boolean takeResendWanted() {
        boolean wanted = resendWanted;
        resendWanted = false;
        return wanted;
    }

    /** Takes in a node's report from the topic (this node's own too: it shows the link works). Topic thread. */
    public void apply(NodeReport report) {
        long now = clock.millis();
        if (report.node().equals(node)) {
            echoedAt = now;
            return;
        }
        if (report.leaving()) {
            others.remove(report.node());
            return;
        }
        if (report.resend()) {
            fullWanted = true;
        }
        Known known = others.get(report.node());
        if (known == null || !alive(known, now)) {
            fullWanted = true; // a node this one had not heard (or had given up on) may not have heard this one either
        }
        Map<String, Integer> counts;
        Map<String, Set<String>> users;
        boolean gap;
        if (report.full()) {
            counts = withoutZeros(report.counts());
            users = withoutEmpty(report.users());
            gap = false;
        } else if (known != null && !known.gap && report.seq() == known.report.seq() + 1) {
            counts = new HashMap<>(known.counts);
            report.counts().forEach((channel, count) -> {
                if (count > 0) {
                    counts.put(channel, count);
                } else {
                    counts.remove(channel);
                }
            });
            users = new HashMap<>(known.users);
            report.users().forEach((channel, names) -> {
                if (names.isEmpty()) {
                    users.remove(channel);
                } else {
                    users.put(channel, Set.copyOf(names));
                }
            });
            gap = false;
        } else {
            // A report was lost (or this is the first heard, and not a full one): its changes cannot be applied to
            // what is known. Keep the last counts and ask every node for a full report.
            counts = known != null ? known.counts : Map.of();
            users = known != null ? known.users : Map.of();
            gap = true;
            resendWanted = true;
        }
        NodeLoad previousLoad = known != null ? known.report.load() : report.load();
        long previousAt = known != null ? known.report.at() : report.at();
        others.put(report.node(), new Known(report, now, Map.copyOf(counts), Map.copyOf(users), gap, previousLoad, previousAt));
    }

    /** Takes in an event from the topic or the event log: presence events change who is announced. Topic thread. */
    public void observed(ChannelEvent event) {
        boolean join = event.type().equals(EventTypeName.PRESENCE_JOIN);
        if (!join && !event.type().equals(EventTypeName.PRESENCE_LEAVE)) {
            return;
        }
        String user = userOf(event.data());
        if (user == null) {
            return;
        }
        if (join) {
            announced.computeIfAbsent(event.channel(), channel -> ConcurrentHashMap.newKeySet()).add(user);
        } else {
            announced.computeIfPresent(event.channel(), (channel, users) -> {
                users.remove(user);
                return users.isEmpty() ? null : users;
            });
        }
    }

    /** The {@code user} of a presence event's data, or null when it has none (a foreign publisher's). */
    static String userOf(String data) {
        try {
            var json = JsonData.JSON.createReader(new StringReader(data)).readValue();
            if (json instanceof JsonObject object && object.get("user") instanceof JsonString name) {
                return name.getString();
            }
        } catch (JsonException e) {
            // not JSON: not ours
        }
        return null;
    }

    private static boolean alive(Known known, long now) {
        return now - known.heardAt <= EXPIRY_MILLIS;
    }

    private static Map<String, Integer> withoutZeros(Map<String, Integer> counts) {
        Map<String, Integer> kept = new HashMap<>(counts);
        kept.values().removeIf(count -> count <= 0);
        return kept;
    }

    private static Map<String, Set<String>> withoutEmpty(Map<String, Set<String>> users) {
        Map<String, Set<String>> kept = new HashMap<>();
        users.forEach((channel, names) -> {
            if (!names.isEmpty()) {
                kept.put(channel, Set.copyOf(names));
            }
        });
        return kept;
    }

    private static String nodeId() {
        return Long.toString(new SecureRandom().nextLong() & 0xFFFFFFFFFFL, 36);
    }
}
