package io.eventstream.core.event;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import java.util.regex.Pattern;

/** The rule for channel names: 1 to 128 characters of {@code A-Z a-z 0-9 - _ . : / @}, no leading or trailing {@code /}. */
public final class ChannelName {

    public static final int MAX_LENGTH = 128;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9\\-_.:/@]{1," + MAX_LENGTH + "}");

    private ChannelName() {
    }

    /** Returns {@code name} when it is a valid channel name, otherwise throws with a message saying why. */
    public static String require(String name) {
        if (name == null || name.isEmpty()) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "channel name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "channel name is longer than " + MAX_LENGTH + " characters");
        }
        if (!ALLOWED.matcher(name).matches()) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "channel name '" + printable(name)
                    + "' may only contain A-Z a-z 0-9 - _ . : / @");
        }
        if (name.startsWith("/") || name.endsWith("/")) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "channel name '" + name + "' must not start or end with '/'");
        }
        return name;
    }

    /** Keeps control characters of a rejected name out of messages and log lines. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 3));
        for (int i = 0; i < text.length() && i < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (text.length() > MAX_LENGTH) {
            out.append("...");
        }
        return out.toString();
    }
}
