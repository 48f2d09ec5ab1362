/**
 * What travels: an event and its rules (channel names, event types, JSON data, ids unique across nodes), and the
 * permission change announced to every node. Pure values and validation; refusals are
 * {@link io.eventstream.api.EventStreamException}s with condition {@code bad-request}.
 */
package io.eventstream.core.event;
