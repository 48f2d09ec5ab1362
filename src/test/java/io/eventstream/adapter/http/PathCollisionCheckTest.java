package io.eventstream.adapter.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathCollisionCheckTest {

    @Test
    void belowAPathTheHubOwnsItAllAndThePathMappingsItLiesBelow() {
        assertTrue(PathCollisionCheck.collides("/eventstream", "/eventstream"));
        assertTrue(PathCollisionCheck.collides("/eventstream", "/eventstream/admin"));
        assertTrue(PathCollisionCheck.collides("/eventstream", "/eventstream/*"));
        assertTrue(PathCollisionCheck.collides("/api/sse", "/api/*"));
        assertFalse(PathCollisionCheck.collides("/eventstream", "/eventstreams/*"));
        assertFalse(PathCollisionCheck.collides("/eventstream", "/api/*"));
        assertFalse(PathCollisionCheck.collides("/api/sse", "/api"));
    }

    @Test
    void atTheContextRootTheHubOwnsOnlyItsEndpointsPaths() {
        for (String endpoint : Endpoints.paths()) {
            assertTrue(PathCollisionCheck.collides("", endpoint), endpoint);
            assertTrue(PathCollisionCheck.collides("", endpoint + "/x"), endpoint);
        }
        assertTrue(PathCollisionCheck.collides("", "/events/*"));
        assertFalse(PathCollisionCheck.collides("", "/it/*"));
        assertFalse(PathCollisionCheck.collides("", "/error-page"));
    }

    @Test
    void theDefaultServletCatchAllAndExtensionMappingsNeverCollide() {
        for (String root : new String[] {"", "/eventstream"}) {
            assertFalse(PathCollisionCheck.collides(root, "/"));
            assertFalse(PathCollisionCheck.collides(root, "/*"));
            assertFalse(PathCollisionCheck.collides(root, "*.jsp"));
            assertFalse(PathCollisionCheck.collides(root, ""));
        }
    }
}
