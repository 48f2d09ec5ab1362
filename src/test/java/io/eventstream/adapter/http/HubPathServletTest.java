package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HubPathServletTest {

    @Test
    void belowAPathItTakesAllOfIt() {
        assertEquals(List.of("/eventstream/*"), HubPathServlet.patterns("/eventstream"));
    }

    @Test
    void atTheContextRootItTakesEachEndpointsPathAndLeavesTheRestToTheApplication() {
        assertEquals(List.of("/events/*", "/streams/*", "/channels/*", "/status/*", "/metrics/*", "/eventstream.js/*",
                "/admin/*"), HubPathServlet.patterns(""));
    }
}
