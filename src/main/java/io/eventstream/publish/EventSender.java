package io.eventstream.publish;

import io.eventstream.broker.Broker;
import io.eventstream.broker.PermissionChange;
import io.eventstream.broker.BrokerUnavailableException;
import io.eventstream.event.ChannelName;
import io.eventstream.event.Event;
import io.eventstream.event.EventIds;
import io.eventstream.event.EventTooLargeException;
import io.eventstream.event.EventType;
import io.eventstream.event.InvalidEventException;
import io.eventstream.event.JsonData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes events to channels from Java code: {@code @Inject EventSender events; events.send("news", "message", data);}.
 *
 * <p>Every event goes through the JMS topic, so it reaches the subscribers of every node that shares the broker.
 */
@ApplicationScoped
public class EventSender {

    private final EventIds ids = new EventIds();

    @Inject
    Broker broker;

    @Inject
    @ConfigProperty(name = "eventstream.event.max-bytes", defaultValue = "65536")
    int maxBytes;

    /**
     * Publishes {@code data}, serialized to JSON with JSON-B, as an event of type {@code eventType}.
     *
     * @return the event's id
     * @throws InvalidEventException      when the channel or type is invalid, or the data too large
     * @throws BrokerUnavailableException when the broker is not up; the event was not sent
     */
    public String send(String channel, String eventType, Object data) {
        return publish(channel, eventType, JsonData.of(data));
    }

    /** Publishes {@code data} as an event of type {@code message}; see {@link #send(String, String, Object)}. */
    public String send(String channel, Object data) {
        return send(channel, EventType.DEFAULT, data);
    }

    /**
     * Tells every node that {@code user}'s access to {@code channel} changed (django-eventstream's
     * {@code channel_permission_changed}): their open streams on it are checked again against the
     * {@code ChannelAuthorizer} and the ones that lost access end with {@code stream-error} {@code forbidden}.
     * Change what the authorizer answers first, on every node (e.g. in your database), then call this.
     *
     * @param channel the channel, or null for all channels of the user's streams
     * @throws BrokerUnavailableException when the broker is not up; nothing was announced
     */
    public void channelPermissionChanged(String user, String channel) {
        if (user == null) {
            throw new IllegalArgumentException("user is required: anonymous streams are not tracked per user");
        }
        broker.publish(new PermissionChange(user, channel == null ? null : ChannelName.require(channel)));
    }

    /** Publishes data that is already compact JSON text. */
    String publish(String channel, String eventType, String json) {
        Event event = new Event(ids.next(), ChannelName.require(channel), EventType.require(eventType), json);
        int size = json.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new EventTooLargeException("event data is " + size + " bytes; the limit is " + maxBytes
                    + " (eventstream.event.max-bytes)");
        }
        broker.publish(event);
        return event.id();
    }
}
