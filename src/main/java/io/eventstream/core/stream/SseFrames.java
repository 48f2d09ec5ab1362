package io.eventstream.core.stream;

import io.eventstream.api.Refusal;
import io.eventstream.core.event.ChannelEvent;
import io.eventstream.core.event.EventTypeName;
import io.eventstream.core.event.JsonData;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bytes of what the hub writes on a stream: published events and the hub's own control events, each
 * encoded once and then shared by every client that reads it.
 */
public final class SseFrames {

    /** A comment line: keeps proxies from closing an idle stream, and finds clients that left. */
    static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] CONTROL_TYPES = EventTypeName.CONTROL.stream()
            .map(type -> ("event: " + type + "\n").getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private SseFrames() {
    }

    /**
     * Whether a frame carries an event (published, or a custom stream's) rather than a comment or one of the hub's
     * {@code stream-*} control events: what the writer counts as delivered. Reads the frame's first two lines only.
     */
    static boolean isEvent(byte[] frame) {
        if (frame == COMMENT) {
            return false;
        }
        int typeAt = 0;
        if (startsWith(frame, 0, ID)) {
            while (typeAt < frame.length && frame[typeAt] != '\n') {
                typeAt++;
            }
            typeAt++;
        }
        for (byte[] control : CONTROL_TYPES) {
            if (startsWith(frame, typeAt, control)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] frame, int at, byte[] prefix) {
        if (at + prefix.length > frame.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (frame[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A published event: its id, type and JSON data. */
    public static byte[] of(ChannelEvent event) {
        return frame(event.id(), event.type(), -1, event.data());
    }

    /** An event of a custom stream: a type and JSON data, without id. */
    public static byte[] of(String type, String data) {
        return frame(null, type, -1, data);
    }

    /** {@code stream-open} with the reconnect delay, and the position of a client that has seen everything so far. */
    public static byte[] streamOpen(long retryMillis, String position) {
        return frame(position, "stream-open", retryMillis, "{}");
    }

    /** {@code stream-reset}: the client missed events of these channels that are no longer retained. */
    public static byte[] streamReset(List<String> channels) {
        return frame(null, "stream-reset", -1,
                JsonData.JSON.createObjectBuilder().add("channels", JsonData.JSON.createArrayBuilder(channels)).build().toString());
    }

    /** {@code stream-error}: the hub ends the stream on purpose, e.g. {@code {"condition":"forbidden","text":"..."}}. */
    public static byte[] streamError(Refusal condition, String text) {
        return frame(null, "stream-error", -1,
                JsonData.JSON.createObjectBuilder().add("condition", condition.code()).add("text", text).build().toString());
    }

    /**
     * One SSE event; data with line breaks goes on several {@code data:} lines, as the SSE format requires (the
     * hub's JSON is compact and has none, but a line break in a frame would otherwise end the event early).
     */
    static byte[] frame(String id, String type, long retryMillis, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 64);
        if (id != null) {
            frame.append("id: ").append(id).append('\n');
        }
        frame.append("event: ").append(type).append('\n');
        if (retryMillis >= 0) {
            frame.append("retry: ").append(retryMillis).append('\n');
        }
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                frame.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        frame.append("data: ").append(data, start, data.length()).append("\n\n");
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }
}
