/**
 * What a node retains for resume: per-channel history bounded by count, age and a total, with each event's encoded
 * frame, and how a client's last event id turns into the frames it missed or a {@code stream-reset}. Not
 * thread-safe: the hub's lock guards it.
 */
package io.eventstream.core.history;
