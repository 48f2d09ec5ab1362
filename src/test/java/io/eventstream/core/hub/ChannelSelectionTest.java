package io.eventstream.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelSelectionTest {

    @Test
    void keepsTheAskedOrderAndDropsDuplicates() {
        assertEquals(List.of("b", "a", "course-state/42"),
                ChannelSelection.parse(List.of("b", "a", "b", "course-state/42"), 10).channels());
    }

    @Test
    void needsAtLeastOneChannel() {
        assertThrows(EventStreamException.class, () -> ChannelSelection.parse(List.of(), 10));
        assertThrows(EventStreamException.class, () -> ChannelSelection.parse(null, 10));
    }

    @Test
    void refusesMoreChannelsThanTheLimitNamingTheKey() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> ChannelSelection.parse(Collections.nCopies(11, "a"), 10));
        assertTrue(refused.getMessage().contains("eventstream.channels.max-per-connection"));
    }

    @Test
    void refusesAnyInvalidName() {
        assertThrows(EventStreamException.class, () -> ChannelSelection.parse(List.of("good", "bad name"), 10));
    }

    @Test
    void patternsAreKeptAndAnEntryAnotherAlreadyCoversIsRefusedNamingBoth() {
        assertEquals(List.of("news", "user/alice/*", "course-*"),
                ChannelSelection.parse(List.of("news", "user/alice/*", "course-*", "news"), 10).channels());
        for (List<String> overlapping : List.of(List.of("user/*", "user/alice"), List.of("user/alice/inbox", "user/alice/*"),
                List.of("user/*", "user/alice/*"))) {
            io.eventstream.api.EventStreamException refused = assertThrows(io.eventstream.api.EventStreamException.class,
                    () -> ChannelSelection.parse(overlapping, 10));
            assertTrue(refused.getMessage().contains("already read through the pattern"), refused.getMessage());
        }
        assertThrows(io.eventstream.api.EventStreamException.class, () -> ChannelSelection.parse(List.of("*"), 10));
        assertEquals(List.of("*"), ChannelSelection.parse(List.of("*"), 10, true).channels());
    }
}
