package io.eventstream.core.event;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;

/**
 * The rule for channel patterns a stream may subscribe to: a channel name's characters ending in one {@code *}, which
 * stands for any rest of a name: {@code user/alice/*} (every channel below {@code user/alice/}) or
 * {@code course-state*} (every channel whose name starts so). The same form as a token's {@code channels} claim.
 * {@code *} alone (every channel) only with {@code eventstream.channels.allow-all-pattern=true}.
 */
public final class ChannelPattern {

    private ChannelPattern() {
    }

    /** Whether a subscription names a pattern rather than one channel. */
    public static boolean isPattern(String requested) {
        return requested != null && requested.indexOf('*') >= 0;
    }

    /**
     * Returns {@code pattern} when it is a valid pattern, otherwise throws {@code bad-request} saying what is allowed.
     *
     * @param allowAll whether {@code *} alone may be subscribed to ({@code eventstream.channels.allow-all-pattern})
     */
    public static String require(String pattern, boolean allowAll) {
        if (pattern.length() > ChannelName.MAX_LENGTH) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "a pattern is at most " + ChannelName.MAX_LENGTH + " characters");
        }
        int star = pattern.indexOf('*');
        if (star < 0 || star != pattern.length() - 1) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "pattern '" + ChannelName.printable(pattern) + "': '*' may"
                    + " only end a pattern, once (user/alice/* or course-state*), not stand inside a name or a segment");
        }
        String prefix = prefix(pattern);
        if (prefix.isEmpty()) {
            if (!allowAll) {
                throw new EventStreamException(Refusal.BAD_REQUEST, "the pattern '*' matches every channel: set"
                        + " eventstream.channels.allow-all-pattern=true to allow it, or subscribe to a narrower pattern");
            }
            return pattern;
        }
        if (prefix.startsWith("/")) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "pattern '" + pattern + "' must not start with '/'");
        }
        // The prefix may end with '/' (user/alice/*); otherwise it is spelled like a channel name.
        ChannelName.require(prefix.endsWith("/") ? prefix + "x" : prefix);
        return pattern;
    }

    /** What every channel the pattern matches starts with: the pattern without its {@code *}. */
    public static String prefix(String pattern) {
        return pattern.substring(0, pattern.length() - 1);
    }

    /** Whether {@code channel} is one of the channels {@code pattern} matches. */
    public static boolean matches(String pattern, String channel) {
        return channel.startsWith(prefix(pattern));
    }

    /** Whether every channel {@code inner} (a name or a pattern) names is also matched by the pattern {@code outer}. */
    public static boolean covers(String outer, String inner) {
        return inner.startsWith(prefix(outer));
    }
}
