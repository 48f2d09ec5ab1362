package io.eventstream.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventstream.api.EventStreamException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "news", "course-state/42", "user@example.org", "a.b:c_d-e", "A/B/C"})
    void acceptsNamesOfTheAllowedCharacters(String name) {
        assertEquals(name, ChannelName.require(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/leading", "trailing/", "with space", "new\nline", "carriage\rreturn", "semi;colon",
        "ümlaut", "percent%2F", "question?", "hash#"})
    void refusesNamesOutsideTheRule(String name) {
        assertThrows(EventStreamException.class, () -> ChannelName.require(name));
    }

    @org.junit.jupiter.api.Test
    void refusesNullAndNamesLongerThan128Characters() {
        assertThrows(EventStreamException.class, () -> ChannelName.require(null));
        assertEquals(128, ChannelName.require("x".repeat(128)).length());
        assertThrows(EventStreamException.class, () -> ChannelName.require("x".repeat(129)));
    }

    @org.junit.jupiter.api.Test
    void keepsControlCharactersOutOfTheMessage() {
        EventStreamException refused = assertThrows(EventStreamException.class,
                () -> ChannelName.require("evil\r\nSet-Cookie: x"));
        assertFalse(refused.getMessage().contains("\n"));
        assertFalse(refused.getMessage().contains("\r"));
        assertTrue(refused.getMessage().contains("evil??Set-Cookie: x"));
    }
}
