package io.eventstream.adapter.jaxrs;

import io.eventstream.api.Channels;
import io.eventstream.api.EventSender;
import io.eventstream.core.admission.Admission;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.hub.ChannelSelection;
import io.eventstream.core.hub.Hub;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link Channels} applications inject: one {@link HubBroadcaster} per channel on this node, made on first use. */
@ApplicationScoped
public class HubChannels implements Channels {

    @Inject
    Hub hub;

    @Inject
    Admission admission;

    @Inject
    Settings settings;

    @Inject
    EventSender events;

    // A broadcaster is made by the first call for its channel and removed by its own close(), only if it is still the
    // one mapped (remove(key, value)): a close never removes the fresh broadcaster a later call made.
    private final Map<String, HubBroadcaster> broadcasters = new ConcurrentHashMap<>();

    /** For CDI. */
    public HubChannels() {
    }

    /** Channels outside CDI (tests, tools). */
    public HubChannels(Hub hub, Admission admission, Settings settings, EventSender events) {
        this.hub = hub;
        this.admission = admission;
        this.settings = settings;
        this.events = events;
    }

    @Override
    public SseBroadcaster broadcaster(String channel) {
        return open(channel);
    }

    @Override
    public void register(String channel, SseEventSink sink, String lastEventId) {
        ChannelName.require(channel);
        String resumeFrom = lastEventId == null ? null : EventIds.requireResumable(lastEventId);
        // A broadcaster another thread closes between open() and here refuses the sink; its close() removes it from
        // the map right after it refuses anything, so the next round gets a fresh one.
        while (!open(channel).register(sink, resumeFrom)) {
            Thread.onSpinWait();
        }
    }

    private HubBroadcaster open(String channel) {
        ChannelName.require(channel);
        return broadcasters.computeIfAbsent(channel, name -> new HubBroadcaster(
                ChannelSelection.parse(List.of(name), settings.maxChannelsPerConnection()), hub, admission, events,
                closed -> broadcasters.remove(name, closed)));
    }

    @PreDestroy
    void closeAll() {
        broadcasters.values().forEach(HubBroadcaster::close);
    }
}
