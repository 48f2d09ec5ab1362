package io.eventstream.core.access;

import java.util.Collection;
import java.util.List;

/** A set of channel names and {@code prefix*} patterns, as in {@code eventstream.channels.public} or a token's {@code channels} claim. */
public final class ChannelPatterns {

    private static final ChannelPatterns NONE = new ChannelPatterns(List.of());

    private final List<String> patterns;

    private ChannelPatterns(List<String> patterns) {
        this.patterns = patterns;
    }

    /** Patterns from a comma-separated list; blanks are ignored. */
    public static ChannelPatterns parse(String commaSeparated) {
        if (commaSeparated == null) {
            return NONE;
        }
        return of(List.of(commaSeparated.split(",")));
    }

    /** Patterns from a list; blanks are ignored. */
    public static ChannelPatterns of(Collection<String> patterns) {
        return new ChannelPatterns(patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).toList());
    }

    /** Whether {@code channel} is one of the names or starts with one of the prefixes ({@code *} alone matches all). */
    public boolean matches(String channel) {
        for (String pattern : patterns) {
            boolean prefix = pattern.endsWith("*");
            if (prefix ? channel.startsWith(pattern.substring(0, pattern.length() - 1)) : channel.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every channel the subscription pattern {@code pattern} ({@code user/alice/*}) can match is matched here:
     * one of these is a prefix pattern whose prefix begins the pattern's ({@code user/*} or {@code user/alice/*}, not
     * {@code user/alice/inbox} or {@code user/alice/inbox/*}).
     */
    public boolean covers(String pattern) {
        String wanted = pattern.substring(0, pattern.length() - 1);
        for (String granted : patterns) {
            if (granted.endsWith("*") && wanted.startsWith(granted.substring(0, granted.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** Whether no channel matches. */
    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
