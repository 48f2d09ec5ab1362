/**
 * The hub itself, free of servlet and JMS: events and their ids, configuration, access decisions, client addresses,
 * admission, limits against abusive clients, history, the hub's lock, streams and their writers, publishing and custom
 * streams. It talks to the outside only
 * through ports it defines: {@link io.eventstream.core.publish.Outbound} (where publishing goes),
 * {@link io.eventstream.core.hub.Inbound} (what the topic hands the hub), {@link io.eventstream.core.stream.ClientConnection}
 * (where a stream's bytes go), and {@link io.eventstream.core.metrics.Timings} and
 * {@link io.eventstream.core.metrics.MetricsExposition} (what the metrics adapter records and serves). The adapters implement them.
 */
package io.eventstream.core;
