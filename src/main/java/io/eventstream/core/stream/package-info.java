/**
 * Streams: the server side of each client connection ({@link io.eventstream.core.stream.SseStream}, a bounded queue of
 * encoded frames and one state word), the writer pool and keep-alive ({@link io.eventstream.core.stream.SseStreams}),
 * the SSE encoding ({@link io.eventstream.core.stream.SseFrames}), why a stream ended and what it did
 * ({@link io.eventstream.core.stream.StreamEnd}, {@link io.eventstream.core.stream.StreamSummary}), and the
 * {@link io.eventstream.core.stream.ClientConnection} port the HTTP adapter implements.
 */
package io.eventstream.core.stream;
