package io.eventstream.core.presence;

/**
 * One node of the cluster as this node sees it: from that node's latest announcement, or, for this node, now.
 *
 * @param node               the node's id, unique per start
 * @param self               whether it is this node
 * @param state              {@code up}, or {@code unlinked} when its broker link is down (then only this node can say)
 * @param startedAtMillis    when it started
 * @param reportedAtMillis   when the numbers were taken
 * @param connections        its open streams, channel and custom
 * @param channels           channels with at least one subscriber on it
 * @param eventsIn           events it took in from the topic since it started
 * @param eventsOut          event frames it flushed to clients since it started
 * @param resets             {@code stream-reset}s it sent
 * @param drops              clients it cut off (slow, write timeout, revoked, expired)
 * @param eventsInPerSecond  events in per second over its last announcement interval
 * @param eventsOutPerSecond events out per second over its last announcement interval
 */
public record NodeStatus(String node, boolean self, String state, long startedAtMillis, long reportedAtMillis,
                         int connections, int channels, long eventsIn, long eventsOut, long resets, long drops,
                         double eventsInPerSecond, double eventsOutPerSecond) {
}
