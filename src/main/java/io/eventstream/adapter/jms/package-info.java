/**
 * The broker side: which broker ({@code eventstream.broker}: the embedded Artemis or a remote one), the embedded
 * broker itself, the link to the topic and its reconnection, the wire format, and the one listener per node that
 * hands the topic to the hub in the broker's order. Implements the core's {@code Topic} port and feeds its
 * {@code Inbound} port.
 */
package io.eventstream.adapter.jms;
