package io.eventstream.core.event;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import java.util.Set;
import java.util.regex.Pattern;

/** The rule for event types: 1 to 64 characters of {@code A-Z a-z 0-9 - _ . :}, not one of the hub's control events. */
public final class EventTypeName {

    /** The type of an event published without one. */
    public static final String DEFAULT = "message";

    /** Events only the hub itself sends; a publisher must not forge them. */
    public static final Set<String> CONTROL = Set.of("stream-open", "stream-reset", "stream-error");

    /** A known user's first stream on a channel opened, across the cluster ({@code eventstream.presence.events}). */
    public static final String PRESENCE_JOIN = "presence-join";

    /** A known user's last stream on a channel closed, across the cluster, and did not come back within the keep-alive. */
    public static final String PRESENCE_LEAVE = "presence-leave";

    /** Events the hub publishes itself, onto the topic: a publisher must not forge them, but they are read from the topic. */
    public static final Set<String> PRESENCE = Set.of(PRESENCE_JOIN, PRESENCE_LEAVE);

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9\\-_.:]{1,64}");

    private EventTypeName() {
    }

    /** Returns the type to publish: {@code type}, or {@value #DEFAULT} when it is null. */
    public static String require(String type) {
        String checked = requireFromTopic(type);
        if (PRESENCE.contains(checked)) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "event type '" + type + "' is reserved for the hub"
                    + " (it sends it when eventstream.presence.events is set)");
        }
        return checked;
    }

    /**
     * Returns the type of an event read from the topic: as {@link #require(String)}, but the hub's own presence
     * events pass (it published them there).
     */
    public static String requireFromTopic(String type) {
        if (type == null) {
            return DEFAULT;
        }
        if (!ALLOWED.matcher(type).matches()) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "event type '" + ChannelName.printable(type)
                    + "' must be 1 to 64 characters of A-Z a-z 0-9 - _ . :");
        }
        if (CONTROL.contains(type)) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "event type '" + type + "' is reserved for the hub");
        }
        return type;
    }
}
