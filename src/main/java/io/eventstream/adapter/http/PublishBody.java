package io.eventstream.adapter.http;

import io.eventstream.api.EventStreamException;
import io.eventstream.api.Refusal;
import io.eventstream.core.event.JsonData;
import io.eventstream.core.publish.EventDraft;
import io.eventstream.core.publish.EventPublisher;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Reads the body of an HTTP publish: {@code {"event":"message","data":<any JSON value>}} for one event, or a JSON
 * array of {@code {"channel":..,"event":..,"data":..}} for a batch.
 */
final class PublishBody {

    private static final Set<String> FIELDS = Set.of("event", "data");
    private static final Set<String> BATCH_FIELDS = Set.of("channel", "event", "data");

    private PublishBody() {
    }

    /** Reads one event for {@code channel}, refusing anything but an object with {@code data} and an optional {@code event}. */
    static EventDraft one(String body, String channel) {
        JsonValue value = JsonData.parse(body);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "body must be a JSON object: {\"event\":\"message\",\"data\":...}");
        }
        return draft(value.asJsonObject(), FIELDS, channel);
    }

    /**
     * Reads a batch, refusing the whole of it when one item is bad (naming the first by its index).
     *
     * @param size hears the number of items before they are read, to refuse an empty or oversized batch first
     */
    static List<EventDraft> batch(String body, IntConsumer size) {
        JsonValue value = JsonData.parse(body);
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "body must be a JSON array of events: "
                    + "[{\"channel\":\"news\",\"event\":\"message\",\"data\":...}, ...]");
        }
        JsonArray items = value.asJsonArray();
        size.accept(items.size());
        List<EventDraft> drafts = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonValue item = items.get(i);
            drafts.add(EventPublisher.item(i, () -> {
                if (item.getValueType() != JsonValue.ValueType.OBJECT) {
                    throw new EventStreamException(Refusal.BAD_REQUEST, "must be a JSON object {\"channel\":..,\"event\":..,\"data\":..}");
                }
                JsonValue channel = item.asJsonObject().get("channel");
                if (!(channel instanceof JsonString name)) {
                    throw new EventStreamException(Refusal.BAD_REQUEST, channel == null ? "has no 'channel' field"
                            : "'channel' must be a string");
                }
                return draft(item.asJsonObject(), BATCH_FIELDS, name.getString());
            }));
        }
        return drafts;
    }

    private static EventDraft draft(JsonObject object, Set<String> fields, String channel) {
        for (String field : object.keySet()) {
            if (!fields.contains(field)) {
                throw new EventStreamException(Refusal.BAD_REQUEST, "unknown field '" + field + "'; an event has only "
                        + String.join(", ", fields.stream().sorted().map(name -> "'" + name + "'").toList())
                        + ("id".equals(field) ? " (ids are assigned by the hub)" : ""));
            }
        }
        if (!object.containsKey("data")) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "the event has no 'data' field");
        }
        JsonValue event = object.get("event");
        if (event != null && !(event instanceof JsonString)) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "'event' must be a string");
        }
        return new EventDraft(channel, event == null ? null : ((JsonString) event).getString(), object.get("data").toString());
    }
}
