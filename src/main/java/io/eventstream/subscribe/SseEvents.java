package io.eventstream.subscribe;

import io.eventstream.event.Event;
import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;

/** The SSE form of what the hub writes: published events and the hub's own control events. */
final class SseEvents {

    private SseEvents() {
    }

    static OutboundSseEvent of(Sse sse, Event event) {
        return sse.newEventBuilder()
                .id(event.id())
                .name(event.type())
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, event.data())
                .build();
    }

    /** {@code stream-open} with the reconnect delay, and the position of a client that has seen everything so far. */
    static OutboundSseEvent streamOpen(Sse sse, long retryMillis, String position) {
        OutboundSseEvent.Builder builder = sse.newEventBuilder()
                .name("stream-open")
                .reconnectDelay(retryMillis)
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, "{}");
        if (position != null) {
            builder.id(position);
        }
        return builder.build();
    }

    /** {@code stream-reset}: the client missed events of these channels that are no longer retained. */
    static OutboundSseEvent streamReset(Sse sse, List<String> channels) {
        return sse.newEventBuilder()
                .name("stream-reset")
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, Json.createObjectBuilder()
                        .add("channels", Json.createArrayBuilder(channels)).build().toString())
                .build();
    }

    /** {@code stream-error}: the hub ends the stream on purpose, e.g. {@code {"condition":"forbidden","text":"..."}}. */
    static OutboundSseEvent streamError(Sse sse, String condition, String text) {
        return sse.newEventBuilder()
                .name("stream-error")
                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, Json.createObjectBuilder().add("condition", condition).add("text", text).build().toString())
                .build();
    }
}
