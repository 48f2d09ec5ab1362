package io.eventstream.adapter.http;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import io.eventstream.core.event.JsonData;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;

/**
 * The body of an HTTP publish, {@code {"event":"message","data":<any JSON value>}}.
 *
 * @param event the event type, or null for the default
 * @param data  the data as compact JSON text
 */
public record PublishRequest(String event, String data) {

    private static final Set<String> FIELDS = Set.of("event", "data");

    /** Parses a request body, refusing anything but an object with {@code data} and an optional string {@code event}. */
    public static PublishRequest parse(String body) {
        JsonValue value = JsonData.parse(body);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "body must be a JSON object: {\"event\":\"message\",\"data\":...}");
        }
        JsonObject object = value.asJsonObject();
        for (String field : object.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new EventStreamException(Refusal.BAD_REQUEST, "unknown field '" + field + "'; a body has only 'event' and 'data'"
                        + ("id".equals(field) ? " (ids are assigned by the hub)" : ""));
            }
        }
        if (!object.containsKey("data")) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "body has no 'data' field");
        }
        JsonValue event = object.get("event");
        if (event != null && !(event instanceof JsonString)) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "'event' must be a string");
        }
        return new PublishRequest(event == null ? null : ((JsonString) event).getString(), object.get("data").toString());
    }
}
