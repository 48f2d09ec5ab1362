package io.eventstream.core.event;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.function.Function;

/**
 * Turns event data into the compact JSON text that goes on a {@code data:} line.
 *
 * <p>Compact JSON has no raw line breaks (JSON escapes them inside strings), so one event is always one
 * {@code data:} line and no data can inject SSE fields.
 */
public final class JsonData {

    // Jsonb instances are thread-safe and costly to create; one serves the whole application.
    private static final Jsonb JSONB = JsonbBuilder.create();
    /**
     * The JSON-P provider, looked up once: {@code Json.createParser} and friends search the class loaders for it
     * on every call, a quarter of the hub's CPU on the publish path when measured (bench/RESULTS.md).
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonData() {
    }

    /** Serializes a Java value with JSON-B; a {@link JsonValue} is written as it is. */
    public static String of(Object data) {
        if (data instanceof JsonValue value) {
            return value.toString();
        }
        try {
            return JSONB.toJson(data);
        } catch (JsonbException e) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "data cannot be serialized to JSON: " + e.getMessage());
        }
    }

    /**
     * Returns JSON text of any value compact, refusing text that is not JSON. Text that is compact already (ours
     * always is) is checked by streaming through it and returned as it is, without building and writing a tree.
     */
    public static String normalize(String json) {
        if (!isCompact(json)) {
            return parse(json).toString();
        }
        return readOne(json, parser -> {
            int depth = 0;
            do {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
                    depth++;
                } else if (event == JsonParser.Event.END_OBJECT || event == JsonParser.Event.END_ARRAY) {
                    depth--;
                }
            } while (depth > 0);
            return json;
        });
    }

    // Whether the text has no whitespace outside its strings (JSON strings hold no raw whitespace but the space).
    private static boolean isCompact(String json) {
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                return false;
            }
        }
        return true;
    }

    /** Parses JSON text of exactly one value (object, array, string, number, boolean or null). */
    public static JsonValue parse(String json) {
        return readOne(json, parser -> {
            parser.next();
            return parser.getValue();
        });
    }

    // Runs read over text that must hold exactly one JSON value, which read consumes; refuses empty text, text after
    // the value, and text that is not JSON.
    private static <T> T readOne(String json, Function<JsonParser, T> read) {
        try (JsonParser parser = JSON.createParser(new StringReader(json))) {
            if (!parser.hasNext()) {
                throw new EventStreamException(Refusal.BAD_REQUEST, "body is empty; send a JSON value");
            }
            T value = read.apply(parser);
            if (parser.hasNext()) {
                throw new EventStreamException(Refusal.BAD_REQUEST, "body has text after its JSON value");
            }
            return value;
        } catch (EventStreamException e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonException for bad syntax, and plain RuntimeException from Parsson for nesting beyond its limit.
            throw new EventStreamException(Refusal.BAD_REQUEST, "body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
