package io.eventstream.it;

/** One event as a client parsed it off the wire. */
record SseEvent(String id, String event, String data, Long retry) {
}
