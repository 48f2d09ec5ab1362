package io.eventstream.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventstream.api.EventStreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTypeNameTest {

    @Test
    void defaultsToMessage() {
        assertEquals("message", EventTypeName.require(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"message", "price-update", "user.created", "ns:thing_1"})
    void acceptsPlainTypes(String type) {
        assertEquals(type, EventTypeName.require(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "line\nbreak", "cr\rhere", "data: x", "stream-open", "stream-reset", "stream-error"})
    void refusesTypesThatCouldBreakFramingOrForgeControlEvents(String type) {
        assertThrows(EventStreamException.class, () -> EventTypeName.require(type));
    }

    @Test
    void refusesTypesLongerThan64Characters() {
        assertThrows(EventStreamException.class, () -> EventTypeName.require("t".repeat(65)));
    }
}
