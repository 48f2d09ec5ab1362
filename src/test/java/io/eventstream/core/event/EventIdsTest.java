package io.eventstream.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void idsOfOneNodeNeverRepeat() {
        EventIds ids = new EventIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(ids.next()));
        }
    }

    @Test
    void twoNodesIssueDifferentIdsAtTheSameMoment() {
        assertNotEquals(new EventIds().next(), new EventIds().next());
    }

    @Test
    void idsAreSafeForAnSseIdLine() {
        String id = new EventIds("node1").next();
        assertTrue(id.matches("[0-9a-z]+-node1-0"), id);
        assertEquals(3, id.split("-").length);
    }
}
