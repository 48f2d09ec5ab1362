package io.eventstream.core.admin;

import io.eventstream.core.event.JsonData;
import io.eventstream.core.presence.ChannelCount;
import io.eventstream.core.presence.NodeStatus;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * One {@code cluster} event of the admin page's feed as JSON: every node with its state and load, the cluster's totals
 * and the busiest channels with their subscriber counts.
 *
 * <p>Totals: connections, events out, resets and drops add up over the nodes (each counts its own clients); events in
 * do not, as every node takes in every event of the topic: the cluster's events in are the most any node took in.
 */
public final class ClusterSnapshot {

    private ClusterSnapshot() {
    }

    /**
     * {@code {"at":..,"totals":{..},"nodes":[..],"busiest":[{"channel":..,"subscribers":..}]}}, rates rounded to
     * hundredths.
     */
    public static String json(List<NodeStatus> nodes, List<ChannelCount> busiest, long atMillis) {
        JsonArrayBuilder nodeList = JsonData.JSON.createArrayBuilder();
        int up = 0;
        long connections = 0;
        long eventsIn = 0;
        long eventsOut = 0;
        long resets = 0;
        long drops = 0;
        double inPerSecond = 0;
        double outPerSecond = 0;
        for (NodeStatus node : nodes) {
            nodeList.add(node(node));
            up += "up".equals(node.state()) ? 1 : 0;
            connections += node.connections();
            eventsIn = Math.max(eventsIn, node.eventsIn());
            inPerSecond = Math.max(inPerSecond, node.eventsInPerSecond());
            eventsOut += node.eventsOut();
            outPerSecond += node.eventsOutPerSecond();
            resets += node.resets();
            drops += node.drops();
        }
        JsonArrayBuilder channels = JsonData.JSON.createArrayBuilder();
        for (ChannelCount channel : busiest) {
            channels.add(JsonData.JSON.createObjectBuilder().add("channel", channel.channel())
                    .add("subscribers", channel.subscribers()));
        }
        JsonObjectBuilder totals = JsonData.JSON.createObjectBuilder()
                .add("nodes", nodes.size())
                .add("up", up)
                .add("connections", connections)
                .add("eventsIn", eventsIn)
                .add("eventsOut", eventsOut)
                .add("eventsInPerSecond", rounded(inPerSecond))
                .add("eventsOutPerSecond", rounded(outPerSecond))
                .add("resets", resets)
                .add("drops", drops);
        return JsonData.JSON.createObjectBuilder()
                .add("at", atMillis)
                .add("totals", totals)
                .add("nodes", nodeList)
                .add("busiest", channels)
                .build().toString();
    }

    private static JsonObjectBuilder node(NodeStatus node) {
        return JsonData.JSON.createObjectBuilder()
                .add("node", node.node())
                .add("self", node.self())
                .add("state", node.state())
                .add("startedAt", node.startedAtMillis())
                .add("reportedAt", node.reportedAtMillis())
                .add("connections", node.connections())
                .add("channels", node.channels())
                .add("eventsIn", node.eventsIn())
                .add("eventsOut", node.eventsOut())
                .add("eventsInPerSecond", rounded(node.eventsInPerSecond()))
                .add("eventsOutPerSecond", rounded(node.eventsOutPerSecond()))
                .add("resets", node.resets())
                .add("drops", node.drops());
    }

    private static double rounded(double rate) {
        return Double.isFinite(rate) ? Math.round(rate * 100) / 100.0 : 0;
    }
}
