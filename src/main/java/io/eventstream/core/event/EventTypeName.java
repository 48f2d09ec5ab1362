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

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9\\-_.:]{1,64}");

    private EventTypeName() {
    }

    /** Returns the type to publish: {@code type}, or {@value #DEFAULT} when it is null. */
    public static String require(String type) {
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
