package io.eventstream.core.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * One event as a client parses it from what a {@link FakeConnection} received (comments skipped), so that tests
 * outside this package assert on ids, types and data rather than on bytes.
 *
 * @param id    the {@code id:} field, or null
 * @param event the {@code event:} field, or null
 * @param retry the {@code retry:} field, or null
 * @param data  the {@code data:} lines joined with line breaks, or null
 */
public record ClientEvent(String id, String event, String retry, String data) {

    /** The events of an SSE byte stream, in order. */
    public static List<ClientEvent> parse(String received) {
        List<ClientEvent> events = new ArrayList<>();
        for (String block : received.split("\n\n")) {
            String id = null;
            String event = null;
            String retry = null;
            StringBuilder data = null;
            for (String line : block.split("\n")) {
                if (line.isEmpty() || line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "retry" -> retry = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> throw new IllegalArgumentException("unknown SSE field in: " + block);
                }
            }
            if (id != null || event != null || retry != null || data != null) {
                events.add(new ClientEvent(id, event, retry, data == null ? null : data.toString()));
            }
        }
        return events;
    }

    /** The events a {@link FakeConnection} received. */
    public static List<ClientEvent> of(FakeConnection connection) {
        return parse(connection.received());
    }
}
