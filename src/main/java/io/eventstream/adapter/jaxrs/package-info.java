/**
 * The JAX-RS side: the hub's channels as {@code jakarta.ws.rs.sse.SseBroadcaster}s for an application's own SSE
 * resources ({@link io.eventstream.api.Channels}), each registered {@code SseEventSink} a stream of the hub behind a
 * connection that sends its frames to the sink. It adds no resource and no provider to any JAX-RS application: it is
 * only called by the application's code.
 */
package io.eventstream.adapter.jaxrs;
