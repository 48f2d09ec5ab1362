package io.eventstream.core.publish;

import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.presence.ClusterPresence;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Sends {@code presence-join} when a known user's first stream on a channel with presence events opens anywhere in
 * the cluster, and {@code presence-leave} when their last one has been closed for a keep-alive interval (a reconnect
 * within it is no leave). Data: {@code {"user":"..."}}.
 *
 * <p>Only the node that {@link ClusterPresence#leads() leads} sends them, so each is sent once. What was announced is
 * not its own memory: every node reads the presence events back from the topic ({@link ClusterPresence#announced()}),
 * so the next leader carries on where the last stopped. Called on the announcer's thread only.
 */
final class PresenceEvents {

    private static final Logger LOG = Logger.getLogger(PresenceEvents.class.getName());
    // How long a sent event may take to come back over the topic before it is sent again.
    private static final long PENDING_MILLIS = 10_000;

    private final ClusterPresence presence;
    private final Outbound topic;
    private final long debounceMillis;
    private final Clock clock;
    private final EventIds ids = new EventIds();
    // (channel, user) -> when this node first saw the user gone from the channel while announced present.
    private final Map<Notice, Long> absentSince = new HashMap<>();
    // (type, channel, user) -> when this node sent it: not sent again until the topic shows it took effect, or it is
    // old (lost). Concurrent: a failed send takes its events out on the broker client's thread.
    private final Map<Notice, Long> pending = new ConcurrentHashMap<>();

    /** One presence event, or one user's absence from a channel ({@code type} null). */
    private record Notice(String type, String channel, String user) {
    }

    PresenceEvents(ClusterPresence presence, Outbound topic, long debounceMillis, Clock clock) {
        this.presence = presence;
        this.topic = topic;
        this.debounceMillis = debounceMillis;
        this.clock = clock;
    }

    void tick() {
        if (!presence.leads()) {
            absentSince.clear();
            pending.clear();
            return;
        }
        long now = clock.millis();
        Map<String, Set<String>> present = presence.users();
        Map<String, Set<String>> announced = presence.announced();
        pending.keySet().removeIf(sent -> now - pending.getOrDefault(sent, now) > PENDING_MILLIS
                || announced.getOrDefault(sent.channel(), Set.of()).contains(sent.user()) == sent.type().equals(EventTypeName.PRESENCE_JOIN));
        List<Notice> events = new ArrayList<>();
        present.forEach((channel, users) -> {
            Set<String> known = announced.getOrDefault(channel, Set.of());
            for (String user : users) {
                absentSince.remove(new Notice(null, channel, user));
                if (!known.contains(user)) {
                    events.add(new Notice(EventTypeName.PRESENCE_JOIN, channel, user));
                }
            }
        });
        announced.forEach((channel, users) -> {
            Set<String> here = present.getOrDefault(channel, Set.of());
            for (String user : users) {
                if (!here.contains(user)) {
                    long since = absentSince.computeIfAbsent(new Notice(null, channel, user), key -> now);
                    if (now - since >= debounceMillis) {
                        events.add(new Notice(EventTypeName.PRESENCE_LEAVE, channel, user));
                    }
                }
            }
        });
        // Absences of users no longer announced are over: their leave came back.
        absentSince.keySet().removeIf(absent -> !announced.getOrDefault(absent.channel(), Set.of()).contains(absent.user()));
        events.removeIf(event -> pending.putIfAbsent(event, now) != null);
        if (events.isEmpty()) {
            return;
        }
        List<ChannelEvent> sent = events.stream().map(event -> new ChannelEvent(ids.next(), event.channel(), event.type(),
                JsonData.JSON.createObjectBuilder().add("user", event.user()).build().toString())).toList();
        topic.send(sent).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warning(() -> "eventstream: could not send " + sent.size() + " presence events (sent again in a second): "
                        + failure.getMessage());
                events.forEach(pending::remove);
            }
        });
    }
}
