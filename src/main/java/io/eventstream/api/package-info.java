/**
 * What an application compiles against, and nothing else: {@link io.eventstream.api.EventSender} to publish,
 * {@link io.eventstream.api.Channels} for a channel's {@code SseBroadcaster} in the application's own JAX-RS resources,
 * {@link io.eventstream.api.ChannelAuthorizer} to decide who reads what, {@link io.eventstream.api.StreamSource} and
 * {@link io.eventstream.api.StreamClient} for custom streams, and the one exception the hub throws,
 * {@link io.eventstream.api.EventStreamException} with its {@link io.eventstream.api.Refusal}. It depends on no other
 * package of the hub (ArchitectureTest keeps it so), only on Jakarta APIs ({@code jakarta.ws.rs.sse} for
 * {@code Channels}); everything outside it may change without notice.
 */
package io.eventstream.api;
