/**
 * The publishing side: the CDI {@link io.eventstream.publish.EventSender} for Java code and the HTTP publish
 * endpoint; both validate an event, give it its id and put it on the topic.
 */
package io.eventstream.publish;
