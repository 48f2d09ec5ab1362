package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void theAdminPageIsAnEndpointOnlyWhileItIsOn() {
        assertEquals("GET, POST", Endpoints.allowedAt("/admin", true));
        assertEquals("GET, POST", Endpoints.allowedAt("/admin/channels/news", true));
        assertNull(Endpoints.allowedAt("/admin", false), "off: unknown, so 404 like any other path");
        assertNull(Endpoints.allowedAt("/admin/stream", false));
        assertEquals("GET, POST, OPTIONS", Endpoints.allowedAt("/events/news", false));
        assertNull(Endpoints.allowedAt("/administration", true));
    }

    @Test
    void theStartUpLineNamesTheAdminPageOnlyWhenItIsOnButItsPathIsAlwaysReserved() {
        assertTrue(Endpoints.served(true).contains("/admin"));
        assertFalse(Endpoints.served(false).contains("/admin"));
        assertTrue(Endpoints.paths().contains("/admin"), "an application's servlet at /admin would collide once it is on");
    }
}
