package io.eventstream.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.core.event.JsonData;
import io.eventstream.core.presence.ChannelCount;
import io.eventstream.core.presence.NodeStatus;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSnapshotTest {

    private static final NodeStatus SELF = new NodeStatus("node-a", true, "up", 1000, 5000, 12, 3, 400, 1200, 1, 2,
            10.0 / 3, 30.25);
    private static final NodeStatus OTHER = new NodeStatus("node-b", false, "unlinked", 2000, 4900, 8, 2, 390, 800, 0, 5,
            3.0, 20.0);

    private static JsonObject parse(String json) {
        try (var reader = JsonData.JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    @Test
    void everyNodeIsListedWithItsStateAndLoadInTheGivenOrder() {
        JsonObject snapshot = parse(ClusterSnapshot.json(List.of(SELF, OTHER), List.of(), 6000));
        assertEquals(6000, snapshot.getJsonNumber("at").longValue());
        assertEquals(2, snapshot.getJsonArray("nodes").size());
        JsonObject a = snapshot.getJsonArray("nodes").getJsonObject(0);
        assertEquals("node-a", a.getString("node"));
        assertTrue(a.getBoolean("self"));
        assertEquals("up", a.getString("state"));
        assertEquals(1000, a.getJsonNumber("startedAt").longValue());
        assertEquals(5000, a.getJsonNumber("reportedAt").longValue());
        assertEquals(12, a.getInt("connections"));
        assertEquals(3, a.getInt("channels"));
        assertEquals(400, a.getJsonNumber("eventsIn").longValue());
        assertEquals(1200, a.getJsonNumber("eventsOut").longValue());
        assertEquals(1, a.getJsonNumber("resets").longValue());
        assertEquals(2, a.getJsonNumber("drops").longValue());
        assertEquals(3.33, a.getJsonNumber("eventsInPerSecond").doubleValue(), "rates are rounded to hundredths");
        assertEquals(30.25, a.getJsonNumber("eventsOutPerSecond").doubleValue());
        assertEquals("unlinked", snapshot.getJsonArray("nodes").getJsonObject(1).getString("state"));
    }

    @Test
    void totalsAddUpEachNodesClientsButCountTheTopicsEventsInOnce() {
        JsonObject totals = parse(ClusterSnapshot.json(List.of(SELF, OTHER), List.of(), 6000)).getJsonObject("totals");
        assertEquals(2, totals.getInt("nodes"));
        assertEquals(1, totals.getInt("up"));
        assertEquals(20, totals.getInt("connections"));
        assertEquals(2000, totals.getJsonNumber("eventsOut").longValue());
        assertEquals(50.25, totals.getJsonNumber("eventsOutPerSecond").doubleValue());
        assertEquals(400, totals.getJsonNumber("eventsIn").longValue(), "every node takes in every event: the most of them");
        assertEquals(3.33, totals.getJsonNumber("eventsInPerSecond").doubleValue());
        assertEquals(1, totals.getJsonNumber("resets").longValue());
        assertEquals(7, totals.getJsonNumber("drops").longValue());
    }

    @Test
    void theBusiestChannelsKeepTheirOrderAndCountsAndNamesAreEscaped() {
        JsonObject snapshot = parse(ClusterSnapshot.json(List.of(SELF),
                List.of(new ChannelCount("news", 7), new ChannelCount("a\"b</script>", 2)), 6000));
        assertEquals("news", snapshot.getJsonArray("busiest").getJsonObject(0).getString("channel"));
        assertEquals(7, snapshot.getJsonArray("busiest").getJsonObject(0).getInt("subscribers"));
        assertEquals("a\"b</script>", snapshot.getJsonArray("busiest").getJsonObject(1).getString("channel"));
    }

    @Test
    void noNodesIsAnEmptyClusterAndARateThatIsNoNumberIsZero() {
        JsonObject empty = parse(ClusterSnapshot.json(List.of(), List.of(), 1));
        assertEquals(0, empty.getJsonObject("totals").getInt("nodes"));
        assertEquals(0, empty.getJsonObject("totals").getJsonNumber("eventsInPerSecond").doubleValue());
        NodeStatus fresh = new NodeStatus("n", true, "up", 1, 1, 0, 0, 0, 0, 0, 0, Double.NaN, Double.POSITIVE_INFINITY);
        JsonObject node = parse(ClusterSnapshot.json(List.of(fresh), List.of(), 1)).getJsonArray("nodes").getJsonObject(0);
        assertEquals(0, node.getJsonNumber("eventsInPerSecond").doubleValue());
        assertEquals(0, node.getJsonNumber("eventsOutPerSecond").doubleValue());
    }
}
