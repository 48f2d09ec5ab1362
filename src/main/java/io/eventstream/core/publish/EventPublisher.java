package io.eventstream.core.publish;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventSender;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.config.Settings;
import io.eventstream.core.event.ChannelName;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventIds;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.event.PermissionChange;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/**
 * The {@link EventSender} applications inject, and the way HTTP publishing goes too: validates an event, gives it
 * its id and sends it through the {@link Outbound}.
 */
@ApplicationScoped
public class EventPublisher implements EventSender {

    private final EventIds ids = new EventIds();

    @Inject
    Outbound topic;

    @Inject
    Settings settings;

    private int maxBytes;

    /** For CDI. */
    public EventPublisher() {
    }

    /** A publisher outside CDI (tests, tools). */
    public EventPublisher(Outbound topic, Settings settings) {
        this.topic = topic;
        this.settings = settings;
        readSettings();
    }

    @PostConstruct
    void readSettings() {
        maxBytes = settings.maxEventBytes();
    }

    @Override
    public String send(String channel, String eventType, Object data) {
        return publish(channel, eventType, JsonData.of(data));
    }

    @Override
    public void channelPermissionChanged(String user, String channel) {
        if (user == null) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "user is required: anonymous streams are not tracked per user");
        }
        topic.send(new PermissionChange(user, channel == null ? null : ChannelName.require(channel)));
    }

    /**
     * Publishes data that is already compact JSON text, as HTTP publishing does.
     *
     * @return the event's id
     */
    public String publish(String channel, String eventType, String json) {
        ChannelEvent event = new ChannelEvent(ids.next(), ChannelName.require(channel), EventTypeName.require(eventType), json);
        int size = json.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new EventStreamException(Refusal.TOO_LARGE, "event data is " + size + " bytes; the limit is " + maxBytes
                    + " (eventstream.event.max-bytes)");
        }
        topic.send(event);
        return event.id();
    }
}
