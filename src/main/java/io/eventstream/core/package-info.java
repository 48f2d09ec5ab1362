/**
 * The hub itself, free of servlet and JMS: events and their ids, configuration, access decisions, admission,
 * history, the hub's lock, streams and their writers, publishing and custom streams. It talks to the outside only
 * through ports it defines: {@link io.eventstream.core.publish.Outbound} (where publishing goes),
 * {@link io.eventstream.core.hub.Inbound} (what the topic hands the hub) and {@link io.eventstream.core.stream.ClientConnection}
 * (where a stream's bytes go). The adapters implement them.
 */
package io.eventstream.core;
