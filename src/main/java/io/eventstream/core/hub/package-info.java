/**
 * The hub: one lock under which each event from the topic is retained and broadcast, and each new subscription is
 * replayed and joined, so every event reaches a stream exactly once; one broadcaster per channel with subscribers;
 * the {@link io.eventstream.core.hub.Inbound} port the broker adapter hands the topic to.
 */
package io.eventstream.core.hub;
