package io.eventstream.it;

import java.util.List;

/** One event as a client parsed it off the wire. */
record SseEvent(String id, String event, String data, Long retry) {

    /** The data of each event, in order. */
    static List<String> data(List<SseEvent> events) {
        return events.stream().map(SseEvent::data).toList();
    }
}
