/**
 * Publishing: {@link io.eventstream.core.publish.EventPublisher} is the {@code EventSender} applications inject and the
 * path HTTP publishing takes; it validates an event, gives it its id and sends it through the
 * {@link io.eventstream.core.publish.Outbound} port, which the JMS adapter implements.
 */
package io.eventstream.core.publish;
