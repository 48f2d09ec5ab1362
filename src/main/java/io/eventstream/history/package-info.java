/**
 * What a node retains for resume: per-channel event history bounded by count and age, and how a
 * client's last event id turns into the events it missed or a {@code stream-reset}.
 */
package io.eventstream.history;
