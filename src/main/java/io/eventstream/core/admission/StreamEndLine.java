package io.eventstream.core.admission;

import io.eventstream.core.stream.StreamSummary;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one log line a stream leaves when it ends, {@code key=value} pairs in a fixed order, for operators to grep when
 * a client says it missed an event:
 * {@code eventstream: stream ended reason=client-left user=alice channels=news,alerts duration_ms=5312 events=42 bytes=6120}.
 * A custom stream has {@code stream="custom stream 'clock'"} in place of {@code channels}; an anonymous reader is
 * {@code user=-}; a value with a space, quote, backslash or {@code =} is quoted, with {@code \"} and {@code \\}.
 */
final class StreamEndLine {

    private StreamEndLine() {
    }

    static String of(String user, List<String> channels, String label, StreamSummary summary) {
        StringBuilder line = new StringBuilder(160).append("eventstream: stream ended reason=").append(summary.why().label())
                .append(" user=").append(user == null ? "-" : quoted(user));
        if (channels.isEmpty()) {
            line.append(" stream=").append(quoted(label));
        } else {
            line.append(" channels=").append(String.join(",", channels)); // channel names hold none of the quoted characters
        }
        return line.append(" duration_ms=").append(TimeUnit.NANOSECONDS.toMillis(summary.openNanos()))
                .append(" events=").append(summary.events())
                .append(" bytes=").append(summary.bytes())
                .toString();
    }

    static String quoted(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\\' || c == '='
                || Character.isISOControl(c));
        if (plain) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        value.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(Character.isISOControl(c) ? ' ' : (char) c);
        });
        return quoted.append('"').toString();
    }
}
