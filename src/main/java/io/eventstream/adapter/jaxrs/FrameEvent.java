package io.eventstream.adapter.jaxrs;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * One of the hub's encoded SSE frames as a JAX-RS event, so that a container's {@code SseEventSink} writes it: the
 * data is the frame's text (the event's JSON), written as {@code text/plain}; a comment frame becomes an event with
 * only a comment.
 *
 * <p>It reads only what {@code SseFrames} writes ({@code id:}, {@code event:}, {@code retry:}, {@code data:} lines,
 * or a comment): the data lines of a frame are joined with line breaks, as an SSE client joins them.
 */
final class FrameEvent implements OutboundSseEvent {

    // The frame parsed last, on any writer: a broadcast hands the same frame (the same array) to every sink of the
    // channel one after the other, so it is parsed once, not once per sink. A record published through a volatile
    // field: a writer sees a whole pair or the one before it, and the events are immutable, so sinks may share one.
    private static volatile LastFrame last;

    private record LastFrame(byte[] frame, FrameEvent event) {
    }

    private final String id;
    private final String name;
    private final long reconnectDelay;
    private final String data;
    private final String comment;

    private FrameEvent(String id, String name, long reconnectDelay, String data, String comment) {
        this.id = id;
        this.name = name;
        this.reconnectDelay = reconnectDelay;
        this.data = data;
        this.comment = comment;
    }

    /** {@link #parse}, reusing the event of the frame parsed last when {@code frame} is that very array. */
    static FrameEvent of(byte[] frame) {
        LastFrame seen = last;
        if (seen != null && seen.frame() == frame) {
            return seen.event();
        }
        FrameEvent event = parse(frame);
        last = new LastFrame(frame, event);
        return event;
    }

    /** The event of one frame; a comment frame ({@code :\n\n}, keep-alive) gives an event with only a comment. */
    static FrameEvent parse(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        if (text.startsWith(":")) {
            int end = text.indexOf('\n');
            String comment = text.substring(1, end < 0 ? text.length() : end);
            return new FrameEvent(null, null, RECONNECT_NOT_SET, null, comment.startsWith(" ") ? comment.substring(1) : comment);
        }
        String id = null;
        String name = null;
        long retry = RECONNECT_NOT_SET;
        StringBuilder data = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue; // the blank line that ends the frame
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "retry" -> retry = Long.parseLong(value);
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> throw new IllegalArgumentException("not a frame of the hub: unknown field '" + field + "'");
            }
        }
        return new FrameEvent(id, name, retry, data == null ? "" : data.toString(), null);
    }

    /** Whether this is a comment only (keep-alive), which carries no event. */
    boolean isComment() {
        return data == null;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getComment() {
        return comment;
    }

    @Override
    public long getReconnectDelay() {
        return reconnectDelay;
    }

    @Override
    public boolean isReconnectDelaySet() {
        return reconnectDelay != RECONNECT_NOT_SET;
    }

    /** {@code String} for an event; null for a comment, which containers then write as the comment line alone. */
    @Override
    public Class<?> getType() {
        return data == null ? null : String.class;
    }

    @Override
    public Type getGenericType() {
        return getType();
    }

    @Override
    public MediaType getMediaType() {
        return MediaType.TEXT_PLAIN_TYPE;
    }

    @Override
    public Object getData() {
        return data;
    }

    @Override
    public String toString() {
        return isComment() ? "comment" : "event " + name + (id == null ? "" : " " + id);
    }
}
