/**
 * Who is listening where, across the cluster: each node's subscriber counts and load, announced over the topic
 * every second, summed for {@code GET {root}/channels/{channel}}, {@code EventSender.presence} and the admin page;
 * and the opt-in {@code presence-join} / {@code presence-leave} events.
 */
package io.eventstream.core.presence;
