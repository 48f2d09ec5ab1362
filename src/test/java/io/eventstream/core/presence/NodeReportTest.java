package io.eventstream.core.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeReportTest {

    @Test
    void aReportReadsBackAsItWasWritten() {
        NodeReport report = new NodeReport("n1", 1000, 2000, 7, false, true, false, new NodeLoad(3, 2, 100, 300, 1, 4),
                Map.of("news", 2, "gone", 0, "course/42", 1), Map.of("room/1", Set.of("alice", "bob"), "room/2", Set.of()));
        assertEquals(report, NodeReport.parse(report.toJson()));
    }

    @Test
    void whatIsNotAReportIsRefusedSayingSo() {
        for (String bad : new String[] {"not json", "[]", "{}", "{\"node\":\"n\"}", "{\"node\":" + "[".repeat(5000),
                "{\"a\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001),
                new NodeReport("n", 1, 2, 3, true, false, false, NodeLoad.NONE, Map.of(), Map.of()).toJson()
                        .replace("\"counts\":{}", "\"counts\":{\"a\":\"x\"}")}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> NodeReport.parse(bad), bad);
            assertEquals(true, refused.getMessage().startsWith("not a presence report"), refused.getMessage());
        }
    }
}
