package io.eventstream.core.stream;

/**
 * What one stream did, reported once when it has ended: why, how many events and bytes reached its client's
 * connection (flushed), and how long it was open.
 *
 * @param why      the first reason it was closed for
 * @param events   event frames flushed to the client (not keep-alive comments, not {@code stream-*} control events)
 * @param bytes    bytes flushed to the client, everything included
 * @param openNanos how long it was open, in nanoseconds
 */
public record StreamSummary(StreamEnd why, long events, long bytes, long openNanos) {
}
