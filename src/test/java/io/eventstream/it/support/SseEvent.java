package io.eventstream.it.support;

import java.util.List;

/** One event as a client parsed it off the wire. */
public record SseEvent(String id, String event, String data, Long retry) {

    /** The data of each event, in order. */
    public static List<String> data(List<SseEvent> events) {
        return events.stream().map(SseEvent::data).toList();
    }
}
