package io.eventstream.adapter.http;

import io.eventstream.api.Refusal;
import io.eventstream.api.EventStreamException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path and query parameters of a request as the client sent them, decoded as UTF-8 the same way on every
 * container (servlet containers differ in the charset they assume and in what they do with a malformed escape).
 */
public final class UrlParts {

    private UrlParts() {
    }

    /** The decoded form of a raw path; a {@code +} stays a plus. {@code 400} for a malformed percent escape. */
    public static String path(String raw) {
        return decode(raw.replace("+", "%2B"));
    }

    /** The query's parameters: name to values, in order; {@code 400} for a malformed percent escape. */
    public static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EventStreamException(Refusal.BAD_REQUEST, "the URL has a malformed escape in '" + text + "': encode % as %25");
        }
    }
}
